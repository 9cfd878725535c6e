import { describe, expect, it } from "vitest";
import { classifyAddress, embeddedIpv4, inCidr } from "./address";

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier_nat"],
    ["100.127.255.255", "carrier_nat"],
    ["169.254.0.1", "link_local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["168.63.129.16", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["fd00:ec2:0:0:0:0:0:254", "metadata"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf::1", "link_local"],
    ["fc00::1", "unique_local"],
    ["fdff:ffff::1", "unique_local"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["2001:db8::1", "documentation"],
    ["2001:0:4136:e378::1", "reserved"],
    ["::127.0.0.1", "reserved"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["100.128.0.1", "public"],
    ["169.255.0.1", "public"],
    ["2606:4700:4700::1111", "public"],
    ["2a03:2880::1", "public"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:7f00:0001", "loopback"],
    ["::FFFF:169.254.169.254", "metadata"],
    ["::ffff:a9fe:a9fe", "metadata"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:0:10.1.2.3", "private"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["2002:7f00:1::", "loopback"],
    ["2002:c0a8:101::1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::808:808", "public"],
    ["2002:808:808::1", "public"],
  ])("an IPv6 form of an IPv4 address is judged by that address: %s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(["localhost", "127.1", "2130706433", "0x7f000001", "1.2.3.4.5", "", "::gg", "example.com"])("%s is not an address (a caller must resolve or refuse it)", (text) => {
    expect(classifyAddress(text)).toBe("invalid");
  });
});

describe("inCidr and embeddedIpv4", () => {
  it("matches prefixes of both families and never across them", () => {
    expect(inCidr("10.20.30.40", "10.0.0.0", 8)).toBe(true);
    expect(inCidr("11.0.0.1", "10.0.0.0", 8)).toBe(false);
    expect(inCidr("1.2.3.4", "0.0.0.0", 0)).toBe(true);
    expect(inCidr("fd12:3456::1", "fd00::", 8)).toBe(true);
    expect(inCidr("fe12::1", "fd00::", 8)).toBe(false);
    expect(inCidr("10.0.0.1", "::", 0)).toBe(false);
  });

  it("extracts the IPv4 address of mapped, translated, NAT64 and 6to4 forms", () => {
    expect(embeddedIpv4("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(embeddedIpv4("::ffff:0:1.2.3.4")).toBe("1.2.3.4");
    expect(embeddedIpv4("64:ff9b::102:304")).toBe("1.2.3.4");
    expect(embeddedIpv4("2002:102:304::")).toBe("1.2.3.4");
    expect(embeddedIpv4("2606:4700::1")).toBeUndefined();
    expect(embeddedIpv4("1.2.3.4")).toBeUndefined();
  });
});
