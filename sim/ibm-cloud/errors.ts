import { randomBytes } from "node:crypto";

/**
 * IBM error bodies, in the shapes of shared/reference/ibm-cloud.md §1.3, §2.3
 * and §3.1. Codes marked [I] in the reference are reproduced as best guesses.
 */

export function traceId(): string {
  return randomBytes(16).toString("hex");
}

/** Legacy IAM shape used by the token endpoint and a missing Authorization header. */
export function legacyIamError(errorCode: string, errorMessage: string, requestType: string, baseUrl: string) {
  const now = new Date();
  const stamp = now.toISOString().replace("T", " ").replace("Z", " UTC");
  return {
    errorCode,
    errorMessage,
    context: {
      requestId: traceId(),
      requestType,
      url: baseUrl,
      instanceId: "sim-ibm-cloud",
      host: "sim-ibm-cloud",
      startTime: stamp,
      endTime: stamp,
      elapsedTime: "1",
      locale: "en_US",
      clusterName: "sim-ibm-cloud",
    },
  };
}

/** The `{errors:[…], status_code, trace}` shape of newer identity endpoints and the policy API. */
export function apiError(status: number, code: string, message: string, extra: { message_code?: string; details?: unknown } = {}) {
  return {
    errors: [{ code, message, ...(extra.message_code ? { message_code: extra.message_code } : {}), ...(extra.details !== undefined ? { details: extra.details } : {}) }],
    status_code: status,
    trace: traceId(),
  };
}

/** Docker distribution error body for the registry endpoints. */
export function registryError(code: string, message: string) {
  return { errors: [{ code, message, detail: null }] };
}
