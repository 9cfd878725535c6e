import crypto from "node:crypto";

/**
 * Minimal X.509 issuance with node:crypto only (it can sign but not build
 * certificates): a DER encoder for the few ASN.1 shapes a CA and a server
 * certificate need. EC P-256 keys, ecdsa-with-SHA256 signatures.
 */

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const ctx = (n: number, body: Buffer) => tlv(0xa0 + n, body);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

function integer(b: Buffer): Buffer {
  let body = b;
  while (body.length > 1 && body[0] === 0 && (body[1]! & 0x80) === 0) body = body.subarray(1);
  if ((body[0]! & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    let v = p >>> 7;
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, "ascii"));
}

const OID = {
  ecdsaSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
};

const name = (cn: string) =>
  seq(set(seq(oid(OID.organization), utf8("pullkeeper-sim"))), set(seq(oid(OID.commonName), utf8(cn))));
const ext = (id: string, critical: boolean, value: Buffer) =>
  critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));

function keyId(spkiDer: Buffer): Buffer {
  return crypto.createHash("sha1").update(spkiDer).digest();
}

interface IssueInput {
  subjectCn: string;
  publicKey: crypto.KeyObject;
  issuerCn: string;
  issuerKey: crypto.KeyObject;
  issuerPublicKey: crypto.KeyObject;
  isCa: boolean;
  dnsNames?: string[];
  ips?: string[];
}

function issue(input: IssueInput): string {
  const spki = input.publicKey.export({ type: "spki", format: "der" });
  const issuerSpki = input.issuerPublicKey.export({ type: "spki", format: "der" });
  const serial = crypto.randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const now = Date.now();
  const extensions: Buffer[] = [
    ext(OID.basicConstraints, true, input.isCa ? seq(bool(true)) : seq()),
    // keyUsage: CA = digitalSignature|keyCertSign|cRLSign, leaf = digitalSignature|keyEncipherment
    ext(OID.keyUsage, true, input.isCa ? bits(Buffer.from([0x86]), 1) : bits(Buffer.from([0xa0]), 5)),
    ext(OID.subjectKeyId, false, octets(keyId(spki))),
  ];
  if (!input.isCa) {
    extensions.push(ext(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    extensions.push(ext(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuerSpki)))));
    const alt = [
      ...(input.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, "ascii"))),
      ...(input.ips ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split(".").map(Number)))),
    ];
    extensions.push(ext(OID.subjectAltName, false, seq(...alt)));
  }
  const tbs = seq(
    ctx(0, integer(Buffer.from([2]))),
    integer(serial),
    seq(oid(OID.ecdsaSha256)),
    name(input.issuerCn),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 10 * 365 * 24 * 3600_000))),
    name(input.subjectCn),
    spki,
    ctx(3, seq(...extensions)),
  );
  const signature = crypto.sign("sha256", tbs, { key: input.issuerKey, dsaEncoding: "der" });
  const der = seq(tbs, seq(oid(OID.ecdsaSha256)), bits(signature));
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

export interface SimTlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A fresh CA and a server certificate for localhost / 127.0.0.1 (plus `host` when it is another address). */
export function generateTlsMaterial(clusterName: string, host = "127.0.0.1"): SimTlsMaterial {
  const ca = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const leaf = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const caCn = `${clusterName}-sim-ca`;
  const caPem = issue({
    subjectCn: caCn,
    publicKey: ca.publicKey,
    issuerCn: caCn,
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    isCa: true,
  });
  const ips = ["127.0.0.1"];
  const dnsNames = ["localhost", "kubernetes", "kubernetes.default"];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && !ips.includes(host) && host !== "0.0.0.0") ips.push(host);
  else if (!/^\d/.test(host) && !dnsNames.includes(host)) dnsNames.push(host);
  const certPem = issue({
    subjectCn: `${clusterName}-apiserver`,
    publicKey: leaf.publicKey,
    issuerCn: caCn,
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    isCa: false,
    dnsNames,
    ips,
  });
  const keyPem = leaf.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { caPem, certPem, keyPem };
}
