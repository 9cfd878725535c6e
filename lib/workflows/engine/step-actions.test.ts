import { describe, expect, it } from "vitest";
import { STEP_ACTIONS } from "@/lib/audit/port";
import { PlanBuilder } from "./plan-builder";
import { STEP_ACTION_OF, stepAction } from "./step-actions";

describe("step actions", () => {
  it("records a step under the action its operation names, whatever the planner passes along", () => {
    const builder = new PlanBuilder();
    const copy = builder.add({
      key: "secret.copy:a/s",
      op: { type: "secret.copy", from: { namespace: "default", name: "s" }, to: { namespace: "a", name: "s" } },
      target: { kind: "Secret", namespace: "a", name: "s" },
      title: "copy",
      group: "a",
      status: "change",
    });
    // A step spread from another one (as tests and planners do) cannot carry a stale action along.
    const refresh = builder.add({
      ...copy,
      key: "secret.refresh_copy:a/s",
      op: { type: "secret.refresh_copy", from: copy.op.type === "secret.copy" ? copy.op.from : { namespace: "", name: "" }, to: { namespace: "a", name: "s" }, expectedFingerprint: null },
    });
    expect(copy.action).toBe("secret.copied");
    expect(refresh.action).toBe("secret.updated");
  });

  it("names every operation with a distinct action of the audit log's stored vocabulary", () => {
    const actions = Object.values(STEP_ACTION_OF);
    expect(new Set(actions).size).toBe(actions.length);
    for (const action of actions) expect(STEP_ACTIONS).toContain(action);
    expect(stepAction({ type: "service_account.add" })).toBe("service_account.patched");
  });
});
