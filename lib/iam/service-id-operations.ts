import "server-only";
import type IamIdentityV1 from "@ibm-cloud/platform-services/iam-identity/v1";
import { hasMarker, withMarker } from "./conventions";
import { IamError } from "./errors";
import type { IamSession } from "./iam-session";
import type { IamPort, ServiceIdSummary } from "./port";
import { deleteIgnoringMissing, nextPageToken } from "./sdk-call";

function serviceIdSummary(s: IamIdentityV1.ServiceId): ServiceIdSummary {
  return {
    id: s.id,
    iamId: s.iam_id,
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    accountId: s.account_id,
    ...(s.created_at !== undefined ? { createdAt: s.created_at } : {}),
    managedByPullkeeper: hasMarker(s.description),
  };
}

function byOldest<T extends { createdAt?: string }>(a: T, b: T): number {
  return (a.createdAt ?? "").localeCompare(b.createdAt ?? "");
}

/** IAM allows duplicate names: the oldest carrying Pullkeeper's marker wins, else the oldest. */
function pickServiceId(candidates: ServiceIdSummary[], name: string): ServiceIdSummary | null {
  const existing = candidates.filter((s) => s.name === name);
  return existing.filter((s) => s.managedByPullkeeper).sort(byOldest)[0] ?? existing.sort(byOldest)[0] ?? null;
}

type ServiceIdOperations = Pick<IamPort, "findServiceId" | "findOrCreateServiceId" | "listServiceIdsCreatedByPullkeeper" | "deleteServiceId">;

/** Service IDs over IAM Identity: found by exact name before one is created, deleted for rollback. */
export function createServiceIdOperations({ identity, identityUrl, log, call, accountOf }: IamSession): ServiceIdOperations {
  async function listServiceIds(accountId: string, name?: string): Promise<ServiceIdSummary[]> {
    const out: ServiceIdSummary[] = [];
    let pagetoken: string | undefined;
    do {
      const page = await call("list_service_ids", identityUrl, { accountId, ...(name ? { serviceIdName: name } : {}) }, true, () =>
        identity.listServiceIds({ accountId, ...(name ? { name } : {}), pagesize: 100, ...(pagetoken ? { pagetoken } : {}) }),
      );
      out.push(...(page.serviceids ?? []).map(serviceIdSummary));
      pagetoken = nextPageToken(page.next, "pagetoken");
    } while (pagetoken);
    return out;
  }

  return {
    async findServiceId(name, accountId) {
      return pickServiceId(await listServiceIds(await accountOf(accountId), name.trim()), name.trim());
    },

    async findOrCreateServiceId(input) {
      const accountId = await accountOf(input.accountId);
      const name = input.name.trim();
      if (name === "") throw new IamError({ kind: "invalid", operation: "create_service_id", message: "A service ID needs a name.", context: { accountId } });
      const pick = pickServiceId(await listServiceIds(accountId, name), name);
      if (pick) {
        log.debug({ serviceId: pick.id, name }, "iam.service_id.found");
        return { serviceId: pick, created: false };
      }
      const created = await call("create_service_id", identityUrl, { accountId, serviceIdName: name }, false, () =>
        identity.createServiceId({ accountId, name, description: withMarker(input.description) }),
      );
      log.info({ serviceId: created.id, name, accountId }, "iam.service_id.created");
      return { serviceId: serviceIdSummary(created), created: true };
    },

    async listServiceIdsCreatedByPullkeeper(accountId) {
      return (await listServiceIds(await accountOf(accountId))).filter((s) => s.managedByPullkeeper);
    },

    async deleteServiceId(id) {
      await deleteIgnoringMissing(call, "delete_service_id", identityUrl, { serviceId: id }, () => identity.deleteServiceId({ id }));
      log.info({ serviceId: id }, "iam.service_id.deleted");
    },
  };
}
