import { badRequest } from "./status";

/**
 * Decoder for the Kubernetes protobuf wire format (`k8s\0` + runtime.Unknown)
 * for the kinds kubectl 1.32+ sends as protobuf on typed creates. Field numbers
 * from k8s.io/api core/v1, authorization/v1 and apimachinery meta/v1 generated.proto.
 * Output is the JSON form a client would have sent.
 */

type Obj = Record<string, any>;
interface Field {
  no: number;
  wire: number;
  num?: number;
  bytes?: Buffer;
}

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function readVarint(buf: Buffer, pos: { p: number }): number {
  let result = 0;
  let mul = 1;
  for (;;) {
    if (pos.p >= buf.length) throw new Error("truncated varint");
    const b = buf[pos.p++]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
    if (mul > 2 ** 70) throw new Error("varint too long");
  }
}

export function decodeFields(buf: Buffer): Field[] {
  const out: Field[] = [];
  const pos = { p: 0 };
  while (pos.p < buf.length) {
    const tag = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    switch (wire) {
      case 0:
        out.push({ no, wire, num: readVarint(buf, pos) });
        break;
      case 1:
        pos.p += 8;
        out.push({ no, wire });
        break;
      case 2: {
        const len = readVarint(buf, pos);
        if (pos.p + len > buf.length) throw new Error("truncated length-delimited field");
        out.push({ no, wire, bytes: buf.subarray(pos.p, pos.p + len) });
        pos.p += len;
        break;
      }
      case 5:
        pos.p += 4;
        out.push({ no, wire });
        break;
      default:
        throw new Error(`unsupported wire type ${wire}`);
    }
  }
  if (pos.p !== buf.length) throw new Error("truncated message");
  return out;
}

const str = (f: Field) => (f.bytes ?? Buffer.alloc(0)).toString("utf8");
/** Two's complement for negative int64 varints that exceed float precision are not expected here. */
const int = (f: Field) => (f.num !== undefined && f.num >= 2 ** 63 ? f.num - 2 ** 64 : (f.num ?? 0));

/** Interprets a message with a table of field handlers; unknown fields are ignored like proto decoders do. */
function message(buf: Buffer, handlers: Record<number, (f: Field, out: Obj) => void>): Obj {
  const out: Obj = {};
  for (const f of decodeFields(buf)) handlers[f.no]?.(f, out);
  return out;
}

const setStr = (key: string) => (f: Field, o: Obj) => {
  const s = str(f);
  if (s !== "") o[key] = s;
};
const pushStr = (key: string) => (f: Field, o: Obj) => {
  (o[key] ??= []).push(str(f));
};
/** `pointer` bools (*bool in Go) keep an explicit false; plain bools are omitempty like their JSON form. */
const setBool = (key: string, pointer = false) => (f: Field, o: Obj) => {
  const v = (f.num ?? 0) !== 0;
  if (v || pointer) o[key] = v;
};
const setInt = (key: string, keepZero = false) => (f: Field, o: Obj) => {
  const n = int(f);
  if (n !== 0 || keepZero) o[key] = n;
};
const sub = (key: string, decode: (b: Buffer) => Obj | null, repeated = false) => (f: Field, o: Obj) => {
  const v = decode(f.bytes ?? Buffer.alloc(0));
  if (v === null) return;
  if (repeated) (o[key] ??= []).push(v);
  else o[key] = v;
};
const mapEntry = (key: string, value: "string" | "base64") => (f: Field, o: Obj) => {
  const e = message(f.bytes ?? Buffer.alloc(0), {
    1: (x, t) => (t.k = str(x)),
    2: (x, t) => (t.v = value === "string" ? str(x) : (x.bytes ?? Buffer.alloc(0)).toString("base64")),
  });
  (o[key] ??= {})[e.k ?? ""] = e.v ?? "";
};

function time(b: Buffer): Obj | null {
  const t = message(b, { 1: (f, o) => (o.s = int(f)), 2: (f, o) => (o.n = int(f)) });
  if (!t.s && !t.n) return null;
  return { iso: new Date((t.s ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") };
}
const setTime = (key: string) => (f: Field, o: Obj) => {
  const t = time(f.bytes ?? Buffer.alloc(0));
  if (t) o[key] = t.iso;
};

const ownerReference = (b: Buffer) =>
  message(b, { 1: setStr("kind"), 3: setStr("name"), 4: setStr("uid"), 5: setStr("apiVersion"), 6: setBool("controller", true), 7: setBool("blockOwnerDeletion", true) });

export const objectMeta = (b: Buffer) =>
  message(b, {
    1: setStr("name"),
    2: setStr("generateName"),
    3: setStr("namespace"),
    4: setStr("selfLink"),
    5: setStr("uid"),
    6: setStr("resourceVersion"),
    7: setInt("generation"),
    8: setTime("creationTimestamp"),
    9: setTime("deletionTimestamp"),
    10: setInt("deletionGracePeriodSeconds"),
    11: mapEntry("labels", "string"),
    12: mapEntry("annotations", "string"),
    13: sub("ownerReferences", ownerReference, true),
    14: pushStr("finalizers"),
  });

const namespace = (b: Buffer) =>
  message(b, {
    1: sub("metadata", objectMeta),
    2: sub("spec", (x) => message(x, { 1: pushStr("finalizers") })),
    3: sub("status", (x) => message(x, { 1: setStr("phase") })),
  });

const secret = (b: Buffer) =>
  message(b, {
    1: sub("metadata", objectMeta),
    2: mapEntry("data", "base64"),
    3: setStr("type"),
    4: mapEntry("stringData", "string"),
    5: setBool("immutable", true),
  });

const objectReference = (b: Buffer) =>
  message(b, { 1: setStr("kind"), 2: setStr("namespace"), 3: setStr("name"), 4: setStr("uid"), 5: setStr("apiVersion"), 6: setStr("resourceVersion"), 7: setStr("fieldPath") });

const serviceAccount = (b: Buffer) =>
  message(b, {
    1: sub("metadata", objectMeta),
    2: sub("secrets", objectReference, true),
    3: sub("imagePullSecrets", (x) => message(x, { 1: setStr("name") }), true),
    4: setBool("automountServiceAccountToken", true),
  });

const resourceAttributes = (b: Buffer) =>
  message(b, { 1: setStr("namespace"), 2: setStr("verb"), 3: setStr("group"), 4: setStr("version"), 5: setStr("resource"), 6: setStr("subresource"), 7: setStr("name") });

const selfSubjectAccessReview = (b: Buffer) =>
  message(b, {
    1: sub("metadata", objectMeta),
    2: sub("spec", (x) =>
      message(x, {
        1: sub("resourceAttributes", resourceAttributes),
        2: sub("nonResourceAttributes", (y) => message(y, { 1: setStr("path"), 2: setStr("verb") })),
      }),
    ),
  });

const deleteOptions = (b: Buffer) =>
  message(b, {
    1: setInt("gracePeriodSeconds", true),
    2: sub("preconditions", (x) => message(x, { 1: setStr("uid"), 2: setStr("resourceVersion") })),
    3: setBool("orphanDependents", true),
    4: setStr("propagationPolicy"),
    5: pushStr("dryRun"),
  });

const quantityMap = (key: string) => (f: Field, o: Obj) => {
  const e = message(f.bytes ?? Buffer.alloc(0), { 1: (x, t) => (t.k = str(x)), 2: (x, t) => (t.v = message(x.bytes ?? Buffer.alloc(0), { 1: setStr("q") }).q ?? "0") });
  (o[key] ??= {})[e.k ?? ""] = e.v;
};

const intOrString = (b: Buffer) => {
  const v = message(b, { 1: (f, o) => (o.type = int(f)), 2: (f, o) => (o.i = int(f)), 3: (f, o) => (o.s = str(f)) });
  return { value: v.type === 1 ? (v.s ?? "") : (v.i ?? 0) };
};
const setIntOrString = (key: string) => (f: Field, o: Obj) => {
  o[key] = intOrString(f.bytes ?? Buffer.alloc(0)).value;
};

/** The container fields `kubectl create deployment` / `kubectl run` set; others are not decoded. */
const container = (b: Buffer) =>
  message(b, {
    1: setStr("name"),
    2: setStr("image"),
    3: pushStr("command"),
    4: pushStr("args"),
    5: setStr("workingDir"),
    6: sub("ports", (x) => message(x, { 1: setStr("name"), 2: setInt("hostPort"), 3: setInt("containerPort"), 4: setStr("protocol"), 5: setStr("hostIP") }), true),
    7: sub("env", (x) => message(x, { 1: setStr("name"), 2: (f, o) => (o.value = str(f)) }), true),
    8: sub("resources", (x) => message(x, { 1: quantityMap("limits"), 2: quantityMap("requests") })),
    13: setStr("terminationMessagePath"),
    14: setStr("imagePullPolicy"),
    16: setBool("stdin"),
    17: setBool("stdinOnce"),
    18: setBool("tty"),
    20: setStr("terminationMessagePolicy"),
  });

const podSpec = (b: Buffer) =>
  message(b, {
    2: sub("containers", container, true),
    3: setStr("restartPolicy"),
    4: setInt("terminationGracePeriodSeconds", true),
    5: setInt("activeDeadlineSeconds"),
    6: setStr("dnsPolicy"),
    7: mapEntry("nodeSelector", "string"),
    8: setStr("serviceAccountName"),
    9: setStr("serviceAccount"),
    10: setStr("nodeName"),
    11: setBool("hostNetwork"),
    15: sub("imagePullSecrets", (x) => message(x, { 1: setStr("name") }), true),
    16: setStr("hostname"),
    17: setStr("subdomain"),
    19: setStr("schedulerName"),
    20: sub("initContainers", container, true),
    21: setBool("automountServiceAccountToken", true),
  });

const labelSelector = (b: Buffer) =>
  message(b, {
    1: mapEntry("matchLabels", "string"),
    2: sub("matchExpressions", (x) => message(x, { 1: setStr("key"), 2: setStr("operator"), 3: pushStr("values") }), true),
  });

const deployment = (b: Buffer) =>
  message(b, {
    1: sub("metadata", objectMeta),
    2: sub("spec", (x) =>
      message(x, {
        1: setInt("replicas", true),
        2: sub("selector", labelSelector),
        3: sub("template", (y) => message(y, { 1: sub("metadata", objectMeta), 2: sub("spec", podSpec) })),
        4: sub("strategy", (y) =>
          message(y, { 1: setStr("type"), 2: sub("rollingUpdate", (z) => message(z, { 1: setIntOrString("maxUnavailable"), 2: setIntOrString("maxSurge") })) }),
        ),
        5: setInt("minReadySeconds"),
        6: setInt("revisionHistoryLimit", true),
        7: setBool("paused"),
        9: setInt("progressDeadlineSeconds", true),
      }),
    ),
  });

const pod = (b: Buffer) => message(b, { 1: sub("metadata", objectMeta), 2: sub("spec", podSpec) });

const DECODERS: Record<string, (b: Buffer) => Obj> = {
  "apps/v1/Deployment": deployment,
  "v1/Pod": pod,
  "v1/Namespace": namespace,
  "v1/Secret": secret,
  "v1/ServiceAccount": serviceAccount,
  "authorization.k8s.io/v1/SelfSubjectAccessReview": selfSubjectAccessReview,
  // kubectl auth whoami sends an empty review: only its metadata is read.
  "authentication.k8s.io/v1/SelfSubjectReview": (b) => message(b, { 1: sub("metadata", objectMeta) }),
  "authentication.k8s.io/v1beta1/SelfSubjectReview": (b) => message(b, { 1: sub("metadata", objectMeta) }),
  "v1/DeleteOptions": deleteOptions,
  "meta.k8s.io/v1/DeleteOptions": deleteOptions,
};

export const PROTOBUF_KINDS = Object.keys(DECODERS);

/**
 * Decodes a `k8s\0`-prefixed runtime.Unknown body into JSON form (with apiVersion and kind).
 * Throws a 400 for malformed bodies and returns null for kinds it has no decoder for.
 */
export function decodeProtobufObject(body: Buffer): Obj | null {
  if (body.length < 4 || !body.subarray(0, 4).equals(PROTOBUF_MAGIC)) {
    throw badRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  }
  let envelope: Obj;
  let raw: Buffer = Buffer.alloc(0);
  try {
    envelope = message(body.subarray(4), {
      1: sub("typeMeta", (x) => message(x, { 1: setStr("apiVersion"), 2: setStr("kind") })),
      2: (f) => {
        raw = f.bytes ?? Buffer.alloc(0);
      },
      3: setStr("contentEncoding"),
      4: setStr("contentType"),
    });
  } catch (e) {
    throw badRequest(`unable to decode protobuf envelope: ${(e as Error).message}`);
  }
  const apiVersion: string = envelope.typeMeta?.apiVersion ?? "";
  const kind: string = envelope.typeMeta?.kind ?? "";
  const decode = DECODERS[`${apiVersion}/${kind}`];
  if (!decode) return null;
  try {
    return { apiVersion, kind, ...decode(raw) };
  } catch (e) {
    throw badRequest(`unable to decode ${kind} from protobuf: ${(e as Error).message}`);
  }
}
