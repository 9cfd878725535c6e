/**
 * metav1.Status bodies with the reasons, codes and message formats of
 * k8s.io/apimachinery/pkg/api/errors. Handlers throw KubeStatusError; the
 * server renders it.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  code: number;
  reason?: string;
  details?: StatusDetails;
}

export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      code: this.code,
    };
    if (this.reason) body.reason = this.reason;
    if (this.details) body.details = this.details;
    return body;
  }
}

/** A group/resource pair as errors print it: `secrets`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}
const grString = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
function grDetails(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const notFound = (gr: GroupResource, name: string) =>
  new KubeStatusError(404, "NotFound", `${grString(gr)} ${JSON.stringify(name)} not found`, grDetails(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  new KubeStatusError(409, "AlreadyExists", `${grString(gr)} ${JSON.stringify(name)} already exists`, grDetails(gr, name));

export const OPTIMISTIC_LOCK_MESSAGE =
  "the object has been modified; please apply your changes to the latest version and try again";

export const conflict = (gr: GroupResource, name: string, why = OPTIMISTIC_LOCK_MESSAGE) =>
  new KubeStatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${grString(gr)} ${JSON.stringify(name)}: ${why}`,
    grDetails(gr, name),
  );

export function forbidden(gr: GroupResource, name: string | undefined, why: string, causes?: StatusCause[]) {
  const subject = name ? `${grString(gr)} ${JSON.stringify(name)}` : grString(gr);
  const details = grDetails(gr, name);
  if (causes) details.causes = causes;
  return new KubeStatusError(403, "Forbidden", `${subject} is forbidden: ${why}`, details);
}

export const badRequest = (message: string) => new KubeStatusError(400, "BadRequest", message);

export const methodNotSupported = (gr: GroupResource, action: string) =>
  new KubeStatusError(
    405,
    "MethodNotAllowed",
    `${action} is not supported on resources of kind ${JSON.stringify(grString(gr))}`,
    grDetails(gr),
  );

export const unsupportedMediaType = (accepted: string[]) =>
  new KubeStatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );

export const unauthorized = () => new KubeStatusError(401, "Unauthorized", "Unauthorized");

export const tooManyRequests = (retryAfterSeconds: number) =>
  new KubeStatusError(
    429,
    "TooManyRequests",
    "Too many requests, please try again later.",
    { retryAfterSeconds },
    { "Retry-After": String(retryAfterSeconds) },
  );

export const internalError = (why: string) =>
  new KubeStatusError(500, "InternalError", `Internal error occurred: ${why}`, {
    causes: [{ message: why }],
  });

export const serviceUnavailable = () =>
  new KubeStatusError(503, "ServiceUnavailable", "the server is currently unable to handle the request", {});

export const notFoundPath = () =>
  new KubeStatusError(404, "NotFound", "the server could not find the requested resource", {});

/** The fixed 422 a JSON-patch application failure becomes (NewGenericServerResponse drops the detail). */
export const genericInvalid = () =>
  new KubeStatusError(422, "Invalid", "the server rejected our request due to an error in our request", {});

export const expired = (message: string) => new KubeStatusError(410, "Expired", message);

/** One field error as field/errors.go renders it. */
export interface FieldError {
  type:
    | "FieldValueRequired"
    | "FieldValueInvalid"
    | "FieldValueForbidden"
    | "FieldValueTooLong"
    | "FieldValueDuplicate"
    | "FieldValueNotSupported"
    | "FieldValueNotFound";
  field: string;
  /** Already-quoted/rendered value (omitted for Required/Forbidden/TooLong). */
  value?: string;
  detail?: string;
}

const TYPE_TEXT: Record<FieldError["type"], string> = {
  FieldValueRequired: "Required value",
  FieldValueInvalid: "Invalid value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueDuplicate: "Duplicate value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueNotFound: "Not found",
};

function errorBody(e: FieldError): string {
  const parts = [TYPE_TEXT[e.type]];
  if (e.value !== undefined) parts.push(e.value);
  let s = parts.join(": ");
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** 422 Invalid: `<Kind> "<name>" is invalid: <err>` or `[<err1>, <err2>]`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): KubeStatusError {
  const rendered = [...new Set(errors.map((e) => `${e.field}: ${errorBody(e)}`))];
  const agg = rendered.length === 1 ? rendered[0]! : `[${rendered.join(", ")}]`;
  const details: StatusDetails = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  // errors.NewInvalid prints the qualified kind (GroupKind.String()): `Deployment.apps "web" is invalid: …`.
  return new KubeStatusError(422, "Invalid", `${group ? `${kind}.${group}` : kind} ${JSON.stringify(name)} is invalid: ${agg}`, details);
}

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}
