import { can, ROLE_LABELS, type SessionUser } from "./permissions";
import type { UserDirectory } from "./users";

/** A workflow run's actor as its stored state records it. */
export interface RunActor {
  email: string;
  role: string;
}

/**
 * Why the person who started a run may no longer run it on these clusters, or null when they still may.
 *
 * A run outlives the request that started it (queued chunks, resumes on another replica, grace periods of a
 * day), so each chunk asks again: an account deactivated, a role lowered below operator, or a cluster taken
 * off the person's list stops what is left of their runs. Keeping rules act as `rule:<name>` (role `rule`):
 * the rule keeping checks its rule is active before it queues work, so they are not people to look up here.
 */
export function createRunAuthoriser(users: Pick<UserDirectory, "findByEmail">): (actor: RunActor, clusters: readonly string[]) => Promise<string | null> {
  return async (actor, clusters) => {
    if (actor.role === "rule") return null;
    const user = await users.findByEmail(actor.email);
    if (!user) return `${actor.email} no longer has an account`;
    if (!user.active) return `${actor.email}'s account was deactivated`;
    if (user.pending) return `${actor.email} has no role`;
    const session: SessionUser = { id: user.id, email: user.email, name: user.name, role: user.role, clusters: user.clusters };
    if (!can(session, "workflow.apply")) return `${actor.email} is now a ${ROLE_LABELS[user.role].toLowerCase()} and may no longer change clusters`;
    const outOfScope = clusters.filter((cluster) => !can(session, "workflow.apply", { cluster }));
    if (outOfScope.length) return `${actor.email} may no longer change cluster${outOfScope.length === 1 ? "" : "s"} ${outOfScope.join(", ")}`;
    return null;
  };
}
