import { z } from "zod";
import { OPERATION_STATUSES, type OperationFilter } from "./port";

/**
 * The audit log's filters as URL query parameters, shared by the page and the
 * export route so an export always matches what the operator is looking at.
 */
const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => (value ? value : undefined));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((value, context) => {
    if (!value) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      context.addIssue({ code: "custom", message: "expected a date such as 2026-11-28 or 2026-11-28T10:00" });
      return z.NEVER;
    }
    return date;
  });

export const auditFilterSchema = z.object({
  cluster: optionalText,
  namespace: optionalText,
  kind: optionalText,
  status: z.enum(OPERATION_STATUSES).optional().or(z.literal("").transform(() => undefined)),
  actor: optionalText,
  from: optionalDate,
  to: optionalDate,
  q: optionalText,
  cursor: optionalText,
});

export type AuditFilterParams = z.infer<typeof auditFilterSchema>;

export type SearchParamsInput = Record<string, string | string[] | undefined> | URLSearchParams;

function first(input: SearchParamsInput, key: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(key) ?? undefined;
  const value = input[key];
  return Array.isArray(value) ? value[0] : value;
}

export function parseAuditFilter(
  input: SearchParamsInput,
): { ok: true; filter: OperationFilter; cursor: string | null; params: AuditFilterParams } | { ok: false; errors: Record<string, string> } {
  const keys = Object.keys(auditFilterSchema.shape);
  const raw = Object.fromEntries(keys.map((key) => [key, first(input, key)]));
  const parsed = auditFilterSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])),
    };
  }
  const { q, cursor, ...rest } = parsed.data;
  // A date without a time means the whole day: "to 2026-11-28" includes that day.
  const to = rest.to && /^\d{4}-\d{2}-\d{2}$/.test(String(raw.to)) ? new Date(rest.to.getTime() + 86_399_999) : rest.to;
  return { ok: true, filter: { ...rest, to, text: q }, cursor: cursor ?? null, params: parsed.data };
}

/** The query string for the same filter, without the cursor (for export links and "first page"). */
export function filterQueryString(params: AuditFilterParams, overrides: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  const raw: Record<string, string | undefined> = {
    cluster: params.cluster,
    namespace: params.namespace,
    kind: params.kind,
    status: params.status,
    actor: params.actor,
    from: params.from ? params.from.toISOString() : undefined,
    to: params.to ? params.to.toISOString() : undefined,
    q: params.q,
    ...overrides,
  };
  for (const [key, value] of Object.entries(raw)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}
