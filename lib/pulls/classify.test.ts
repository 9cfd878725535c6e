import { describe, expect, it } from "vitest";
import { classifyPullError, type PullErrorInput } from "./classify";
import type { PullCause } from "./types";

const IMG = "us.icr.io/team/api:1.4";
const wrap = (detail: string, code = "Unknown") => `rpc error: code = ${code} desc = failed to pull and unpack image "${IMG}": failed to resolve reference "${IMG}": ${detail}`;

/** Runtime errors as kubelets report them (containerd 1.4–1.7 on IKS, Docker and CRI-O on older nodes), with the pod's credential situation. */
const CASES: { name: string; message: string; hasCredential: boolean; cause: PullCause; publicRegistry?: boolean }[] = [
  { name: "containerd 1.7, anonymous HEAD refused", message: wrap("unexpected status from HEAD request to https://us.icr.io/v2/team/api/manifests/1.4: 401 Unauthorized"), hasCredential: false, cause: "no_credential" },
  { name: "containerd 1.5, anonymous token refused", message: wrap("failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"), hasCredential: false, cause: "no_credential" },
  { name: "Docker, no credential", message: `Error response from daemon: Get "https://us.icr.io/v2/team/api/manifests/1.4": no basic auth credentials`, hasCredential: false, cause: "no_credential" },
  {
    name: "containerd 1.7, revoked key (GET fallback)",
    message: wrap("failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token?scope=repository%3Ateam%2Fapi%3Apull&service=registry: 401 Unauthorized"),
    hasCredential: true,
    cause: "credential_rejected",
  },
  { name: "containerd 1.7, key without a Reader policy", message: wrap("failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://us.icr.io/oauth/token: 403 Forbidden"), hasCredential: true, cause: "credential_rejected" },
  { name: "containerd 1.4, rejected key", message: wrap("failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"), hasCredential: true, cause: "credential_rejected" },
  { name: "containerd 1.7, token without the repository", message: wrap("pulling from host us.icr.io failed with status code [manifests 1.4]: 401 Unauthorized"), hasCredential: true, cause: "credential_rejected" },
  { name: "containerd, insufficient scope", message: wrap("unexpected status from HEAD request to https://us.icr.io/v2/team/api/manifests/1.4: 403 Forbidden"), hasCredential: true, cause: "credential_rejected" },
  {
    name: "two credentials, both rejected",
    message: `[${wrap("failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token: 401 Unauthorized")}, ${wrap("failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token: 401 Unauthorized")}]`,
    hasCredential: true,
    cause: "credential_rejected",
  },
  { name: "Docker, unauthorized", message: `Error response from daemon: Get "https://us.icr.io/v2/team/api/manifests/1.4": unauthorized: The login credentials are not valid, or your IBM Cloud account is not active.`, hasCredential: true, cause: "credential_rejected" },
  { name: "containerd 1.7, tag not found", message: wrap(`${IMG}: not found`, "NotFound"), hasCredential: true, cause: "image_not_found" },
  { name: "CRI-O, manifest unknown", message: `initializing source docker://${IMG}: reading manifest 1.4 in us.icr.io/team/api: manifest unknown: OCI index found, but accept header does not support OCI indexes`, hasCredential: true, cause: "image_not_found" },
  {
    name: "Docker Hub, missing repository (assumed public)",
    message: `rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    hasCredential: false,
    publicRegistry: true,
    cause: "image_not_found",
  },
  {
    name: "DNS failure",
    message: wrap(`failed to do request: Head "https://us.icr.io/v2/team/api/manifests/1.4": dial tcp: lookup us.icr.io on 172.21.0.10:53: no such host`),
    hasCredential: true,
    cause: "registry_unreachable",
  },
  { name: "TCP timeout", message: wrap(`failed to do request: Head "https://us.icr.io/v2/team/api/manifests/1.4": dial tcp 169.63.104.236:443: i/o timeout`), hasCredential: false, cause: "registry_unreachable" },
  { name: "TLS interception", message: wrap(`failed to do request: Head "https://us.icr.io/v2/team/api/manifests/1.4": tls: failed to verify certificate: x509: certificate signed by unknown authority`), hasCredential: true, cause: "registry_unreachable" },
  { name: "registry outage", message: wrap("failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token: 503 Service Unavailable"), hasCredential: true, cause: "registry_unreachable" },
  { name: "unrecognised", message: "rpc error: code = Unknown desc = failed to pull and unpack image: failed commit on ref: unexpected commit digest", hasCredential: true, cause: "unknown" },
];

const input = (over: Partial<PullErrorInput>): PullErrorInput => ({ reason: "ErrImagePull", message: "", hasCredential: false, ...over });

describe("classifyPullError", () => {
  it.each(CASES)("$name → $cause", ({ message, hasCredential, cause, publicRegistry }) => {
    const got = classifyPullError(input({ message, hasCredential, ...(publicRegistry ? { publicRegistry } : {}) }));
    expect(got).toEqual({ cause, evidence: "status", error: message });
  });

  it("reads the error a 1.32+ kubelet appends to the back-off message", () => {
    const error = wrap("unexpected status from HEAD request to https://us.icr.io/v2/team/api/manifests/1.4: 401 Unauthorized");
    const got = classifyPullError(input({ reason: "ImagePullBackOff", message: `Back-off pulling image "${IMG}": ErrImagePull: ${error}` }));
    expect(got).toEqual({ cause: "no_credential", evidence: "status", error });
  });

  it("falls back to the Failed event when the back-off message omits the error (kubelets before 1.32)", () => {
    const error = wrap(`${IMG}: not found`, "NotFound");
    const got = classifyPullError(input({ reason: "ImagePullBackOff", message: `Back-off pulling image "${IMG}"`, lastPullError: error, hasCredential: true }));
    expect(got).toEqual({ cause: "image_not_found", evidence: "event", error });
  });

  it("says unknown, with no evidence, when neither the status nor an event carries the error", () => {
    expect(classifyPullError(input({ reason: "ImagePullBackOff", message: `Back-off pulling image "${IMG}"` }))).toEqual({ cause: "unknown", evidence: "none", error: null });
  });

  it("never treats an invalid name or a Never pull policy as a credential problem", () => {
    expect(classifyPullError(input({ reason: "InvalidImageName", message: 'Failed to apply default image tag "US.ICR.IO/x": couldn\'t parse image reference' })).cause).toBe("image_not_found");
    expect(classifyPullError(input({ reason: "ErrImageNeverPull", message: `Container image "${IMG}" is not present with pull policy of Never` })).cause).toBe("image_not_found");
  });
});
