import fs from "node:fs";
import path from "node:path";

/**
 * Drives a running Pullkeeper over HTTP as its browser pages do: signs in
 * through the sign-in endpoint, then calls the same server actions the
 * workflow pages call (found by name in the build's server-reference manifest),
 * and follows a run through /api/operations/<id>. For benchmarks and tests of
 * the built server; nothing here reaches into the process.
 */
export interface AppSession {
  baseUrl: string;
  cookie: string;
}

/** Server actions by exported name (e.g. previewWorkflowAction), from the assembled build (or any build directory). */
export function serverActionIds(buildDir: string): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(buildDir, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string; workers?: Record<string, { exportedName?: string }> }>;
  };
  const ids = new Map<string, string>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const name = entry.exportedName ?? Object.values(entry.workers ?? {}).find((worker) => worker.exportedName)?.exportedName;
    if (name) ids.set(name, id);
  }
  return ids;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<AppSession> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: baseUrl },
    body: JSON.stringify({ email, password }),
    redirect: "manual",
  });
  if (!response.ok) throw new Error(`sign-in as ${email} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  if (!cookie) throw new Error("sign-in set no session cookie");
  return { baseUrl, cookie };
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/**
 * Calls one server action as React does from a page: POST to the page with the
 * action's id in `Next-Action` and the arguments as JSON; the answer is React's
 * flight stream, whose row 1 holds the action's return value.
 */
export async function callAction<T>(session: AppSession, actionId: string, args: unknown[], pagePath: string): Promise<ActionResult<T>> {
  const response = await fetch(`${session.baseUrl}${pagePath}`, {
    method: "POST",
    headers: {
      "Next-Action": actionId,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: session.baseUrl,
      Cookie: session.cookie,
    },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`server action answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  const row = text.split("\n").find((line) => line.startsWith("1:"));
  if (!row) throw new Error(`no return value in the server action's answer: ${text.slice(0, 300)}`);
  return JSON.parse(row.slice(2)) as ActionResult<T>;
}

export interface OperationStatus {
  id: string;
  status: string;
  summary: string | null;
  /** Filled when the run ends. */
  counts: { total: number; succeeded: number; failed: number; skipped: number };
  steps: { sequence: number; action: string; outcome: string }[];
}

export async function operation(session: AppSession, id: string): Promise<OperationStatus> {
  const response = await fetch(`${session.baseUrl}/api/operations/${id}`, { headers: { Cookie: session.cookie } });
  if (!response.ok) throw new Error(`/api/operations/${id} answered HTTP ${response.status}`);
  return (await response.json()) as OperationStatus;
}

/** Preview then apply a workflow through its page's actions (/clusters/<c>/workflows/<slug>); resolves with the started operation's id. */
export async function previewAndApply(
  session: AppSession,
  actions: Map<string, string>,
  workflow: { kind: string; slug: string },
  input: Record<string, unknown> & { cluster: string },
): Promise<{ operationId: string; changes: number }> {
  const { kind } = workflow;
  const page = `/clusters/${encodeURIComponent(input.cluster)}/workflows/${workflow.slug}`;
  const preview = await callAction<{ digest: string; counts: { change: number } }>(session, required(actions, "previewWorkflowAction"), [{ kind, input }], page);
  if (!preview.ok) throw new Error(`preview refused: ${preview.error}`);
  const applied = await callAction<{ started: boolean; operationId?: string; message?: string }>(session, required(actions, "applyWorkflowAction"), [{ kind, input, digest: preview.data.digest }], page);
  if (!applied.ok) throw new Error(`apply refused: ${applied.error}`);
  if (!applied.data.started || !applied.data.operationId) throw new Error(`apply did not start: ${applied.data.message}`);
  return { operationId: applied.data.operationId, changes: preview.data.counts.change };
}

function required(actions: Map<string, string>, name: string): string {
  const id = actions.get(name);
  if (!id) throw new Error(`the build has no server action named ${name}`);
  return id;
}
