import { describe, expect, it } from "vitest";
import { createOutboundPolicy, parseAllowEntry, parseAllowList, refusalMessage } from "./outbound";

const SETTING = "PULLKEEPER_REGISTRY_ALLOWED_HOSTS";

describe("parseAllowList", () => {
  it("reads host names, host:port, addresses, bracketed IPv6 with a port and CIDR ranges", () => {
    expect(parseAllowList(" Registry.Internal , registry.internal:5000 127.0.0.1:8790,[::1]:8790, ::1, 10.0.0.0/8, fd00::/8,")).toEqual([
      { text: "Registry.Internal", name: "registry.internal" },
      { text: "registry.internal:5000", name: "registry.internal", port: 5000 },
      { text: "127.0.0.1:8790", cidr: { base: "127.0.0.1", prefix: 32 }, port: 8790 },
      { text: "[::1]:8790", cidr: { base: "::1", prefix: 128 }, port: 8790 },
      { text: "::1", cidr: { base: "::1", prefix: 128 } },
      { text: "10.0.0.0/8", cidr: { base: "10.0.0.0", prefix: 8 } },
      { text: "fd00::/8", cidr: { base: "fd00::", prefix: 8 } },
    ]);
    expect(parseAllowList(undefined)).toEqual([]);
    expect(parseAllowList("")).toEqual([]);
  });

  it.each(["http://registry.internal", "registry.internal:0", "registry.internal:70000", "10.0.0.0/33", "10.0.0/8", "[registry]:5000", "reg istry", "a..b"])(
    "refuses %s naming it",
    (entry) => {
      expect(() => parseAllowEntry(entry)).toThrow(`"${entry}"`);
    },
  );
});

describe("createOutboundPolicy", () => {
  it("allows public addresses and refuses every special one without an allow-list", () => {
    const policy = createOutboundPolicy([], SETTING);
    expect(policy.allowsAddress("8.8.8.8", 443)).toBe(true);
    expect(policy.allowsAddress("2606:4700::1111", 443)).toBe(true);
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "0.0.0.0", "::", "169.254.169.254", "10.1.1.1", "fd00::1", "fe80::1", "100.64.1.1"]) {
      expect(policy.allowsAddress(address, 443), address).toBe(false);
    }
    expect(policy.allowsName("localhost", 443)).toBe(false);
    expect(policy.allowsName("127.0.0.1", 443)).toBe(false);
  });

  it("allows what the list names, on the listed port only", () => {
    const policy = createOutboundPolicy(parseAllowList("registry.internal:5000,127.0.0.1:8790,10.0.0.0/8,[::1]:8790"), SETTING);
    expect(policy.allowsName("REGISTRY.internal.", 5000)).toBe(true);
    expect(policy.allowsName("registry.internal", 5001)).toBe(false);
    expect(policy.allowsName("other.internal", 5000)).toBe(false);
    expect(policy.allowsName("127.0.0.1", 8790)).toBe(true);
    expect(policy.allowsAddress("127.0.0.1", 8790)).toBe(true);
    expect(policy.allowsAddress("127.0.0.1", 8791)).toBe(false);
    expect(policy.allowsAddress("::ffff:127.0.0.1", 8791)).toBe(false);
    expect(policy.allowsAddress("10.200.0.1", 443)).toBe(true);
    expect(policy.allowsAddress("11.0.0.1", 443)).toBe(true);
    expect(policy.allowsAddress("172.16.0.1", 443)).toBe(false);
    expect(policy.allowsName("[::1]", 8790)).toBe(true);
    expect(policy.allowsAddress("169.254.169.254", 80)).toBe(false);
  });

  it("has one refusal message that names the destination and the setting, not what is there", () => {
    expect(refusalMessage("10.0.0.5", 5000, SETTING)).toBe(
      "Pullkeeper does not connect to 10.0.0.5:5000: it is (or resolves to) a loopback, private, link-local or metadata address, and PULLKEEPER_REGISTRY_ALLOWED_HOSTS does not name it.",
    );
  });
});
