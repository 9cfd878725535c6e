import "server-only";
import { z } from "zod";
import { recordAccessDenied } from "@/lib/auth/denials";
import { can, ForbiddenError, isForbiddenError, type Permission, type PermissionScope, type SessionUser } from "@/lib/auth/permissions";
import { currentAccess, PENDING_MESSAGE } from "@/lib/auth/session";
import { describeError, isPullkeeperError, PullkeeperError } from "@/lib/errors";

/** What every server action returns: expected failures are values, bugs throw to error.tsx. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/** Throw from an action body for an expected failure the person can act on (message shown as is). */
export class ActionError extends PullkeeperError {
  override name = "ActionError";
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("action", "invalid", message, fieldErrors ? { fieldErrors } : {});
  }
}

/**
 * A server action built here. Callable directly with an object or FormData, as a
 * `<form action>` (one FormData argument), or through `useActionState`
 * (previous state, then FormData).
 */
export interface SafeAction<I, T> {
  (input: I | FormData): Promise<ActionResult<T>>;
  (previous: ActionResult<T> | null, input: I | FormData): Promise<ActionResult<T>>;
}

export interface ActionOptions<I> {
  /** Names the action in the audit log when a denial is recorded, e.g. "users.change_role". */
  name?: string;
  /**
   * The cluster the input is about. Defaults to the input's `cluster` field when it has one;
   * actions spanning several clusters call `assertCan` per cluster inside the body instead.
   */
  scope?: (input: I) => PermissionScope | undefined;
}

/** How each action built here is guarded, so tests can call every action as a role that must be refused. */
export type ActionGuard = { kind: "permission"; permission: Permission } | { kind: "user" } | { kind: "public" };
const guards = new WeakMap<object, ActionGuard>();

/** The guard of a function built by this module, or undefined for anything else (an unguarded action). */
export function actionGuard(fn: unknown): ActionGuard | undefined {
  return typeof fn === "function" ? guards.get(fn) : undefined;
}

export const SIGN_IN_REQUIRED = "Sign in to continue. Your session may have expired.";

/** FormData → plain object; a repeated field becomes an array, files are ignored. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((value): value is string => typeof value === "string");
    if (values.length === 0) continue;
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function pickInput(args: unknown[]): unknown {
  const input = args.length >= 2 ? args[1] : args[0];
  return input instanceof FormData ? formDataToObject(input) : (input ?? {});
}

function validationFailure(error: z.ZodError): ActionResult<never> {
  const flattened = z.flattenError(error);
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(flattened.fieldErrors as Record<string, string[] | undefined>)) {
    if (messages && messages.length > 0) fieldErrors[field] = messages;
  }
  const formErrors = flattened.formErrors;
  return { ok: false, error: formErrors[0] ?? "Check the highlighted fields.", fieldErrors };
}

function defaultScope(input: unknown): PermissionScope | undefined {
  if (input && typeof input === "object" && "cluster" in input && typeof (input as { cluster: unknown }).cluster === "string") {
    return { cluster: (input as { cluster: string }).cluster };
  }
  return undefined;
}

async function deny(user: SessionUser, permission: Permission, target: string, scope?: PermissionScope): Promise<ActionResult<never>> {
  await recordAccessDenied({ user, permission, target, via: "action", ...(scope?.cluster ? { cluster: scope.cluster } : {}) });
  return { ok: false, error: new ForbiddenError(user, permission, scope).message };
}

/**
 * Expected failures thrown inside an action body become results; anything else (bugs, redirect()) propagates.
 * Recognised by their fields, not their class: services built by the instrumentation bundle throw that
 * bundle's copy of each error class.
 */
async function expectedFailure(error: unknown, user: SessionUser | null, target: string): Promise<ActionResult<never>> {
  if (isForbiddenError(error) && user) return deny(user, error.permission, target, error.cluster ? { cluster: error.cluster } : undefined);
  // Configuration errors are for the server log, like bugs.
  if (!isPullkeeperError(error) || error.source === "config") throw error;
  const { message, fieldErrors } = describeError(error);
  return { ok: false, error: message, ...(fieldErrors ? { fieldErrors } : {}) };
}

/**
 * An authenticated server action: no session → "Sign in…" with nothing done;
 * a role without `permission` (or a cluster outside the user's limits) → the
 * denial is written to the audit log with the actor and a refusal returned;
 * invalid input → fieldErrors; otherwise the body runs with the parsed input and the user.
 */
export function action<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  body: (context: { input: z.output<S>; user: SessionUser }) => Promise<T>,
  options: ActionOptions<z.output<S>> = {},
): SafeAction<z.input<S>, T> {
  const target = options.name ?? (body.name || "server action");
  const run = async (...args: unknown[]): Promise<ActionResult<T>> => {
    const access = await currentAccess();
    if (!access) return { ok: false, error: SIGN_IN_REQUIRED };
    if (access.kind === "pending") return { ok: false, error: PENDING_MESSAGE };
    const user = access.user;
    if (!can(user, permission)) return deny(user, permission, target);
    const parsed = schema.safeParse(pickInput(args));
    if (!parsed.success) return validationFailure(parsed.error);
    const scope = options.scope ? options.scope(parsed.data) : defaultScope(parsed.data);
    if (scope && !can(user, permission, scope)) return deny(user, permission, target, scope);
    try {
      return { ok: true, data: await body({ input: parsed.data, user }) };
    } catch (error) {
      return expectedFailure(error, user, target);
    }
  };
  guards.set(run, { kind: "permission", permission });
  return run as SafeAction<z.input<S>, T>;
}

/**
 * An action for any signed-in user whatever their role (sign-out, own preferences):
 * no session → "Sign in…" with nothing done.
 */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  body: (context: { input: z.output<S>; user: SessionUser }) => Promise<T>,
): SafeAction<z.input<S>, T> {
  const run = async (...args: unknown[]): Promise<ActionResult<T>> => {
    const access = await currentAccess();
    if (!access) return { ok: false, error: SIGN_IN_REQUIRED };
    if (access.kind === "pending") return { ok: false, error: PENDING_MESSAGE };
    const user = access.user;
    const parsed = schema.safeParse(pickInput(args));
    if (!parsed.success) return validationFailure(parsed.error);
    try {
      return { ok: true, data: await body({ input: parsed.data, user }) };
    } catch (error) {
      return expectedFailure(error, user, body.name || "server action");
    }
  };
  guards.set(run, { kind: "user" });
  return run as SafeAction<z.input<S>, T>;
}

/**
 * An action anyone may call: only sign-in, single sign-on start and first-run
 * setup. Each such export is listed in tests/auth/public-entrypoints.ts with its reason.
 */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  body: (context: { input: z.output<S> }) => Promise<T>,
): SafeAction<z.input<S>, T> {
  const run = async (...args: unknown[]): Promise<ActionResult<T>> => {
    const parsed = schema.safeParse(pickInput(args));
    if (!parsed.success) return validationFailure(parsed.error);
    try {
      return { ok: true, data: await body({ input: parsed.data }) };
    } catch (error) {
      return expectedFailure(error, null, "public action");
    }
  };
  guards.set(run, { kind: "public" });
  return run as SafeAction<z.input<S>, T>;
}
