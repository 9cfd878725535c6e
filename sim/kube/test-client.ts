import type { KubeSim } from "./index";

/**
 * What the simulator's HTTP tests share: a request as the admin, answered JSON or thrown (with the status and body, so a
 * test can assert on a refusal), and an IAM API-key `.dockerconfigjson` for a registry server.
 */
export function adminCaller(sim: () => KubeSim) {
  return async function call(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<any> {
    const res = await fetch(sim().url + path, {
      method,
      headers: { Authorization: `Bearer ${sim().tokens.admin}`, "Content-Type": contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await res.json();
    if (res.status >= 300) throw Object.assign(new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`), { status: res.status, body: json });
    return json;
  };
}

export const iamApiKeyDockerConfig = (server: string, key: string) =>
  Buffer.from(JSON.stringify({ auths: { [server]: { username: "iamapikey", password: key, auth: Buffer.from(`iamapikey:${key}`).toString("base64") } } })).toString("base64");
