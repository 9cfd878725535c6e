import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/**
 * The simulated IAM account data: users, service IDs, API keys and access
 * policies, in the wire shapes of shared/reference/ibm-cloud.md §2-3 so route
 * handlers can return them with little mapping. Optionally persisted to a JSON
 * file so a demo keeps what it created across restarts.
 */

export interface SimAccount {
  id: string;
  name: string;
}

export interface SimUser {
  iam_id: string;
  email: string;
  name: string;
  account_id: string;
}

export interface SimServiceId {
  id: string;
  iam_id: string;
  entity_tag: string;
  crn: string;
  locked: boolean;
  created_at: string;
  modified_at: string;
  account_id: string;
  name: string;
  description?: string;
  unique_instance_crns: string[];
}

export interface SimApiKey {
  id: string;
  entity_tag: string;
  crn: string;
  locked: boolean;
  disabled: boolean;
  created_at: string;
  created_by: string;
  modified_at: string;
  name: string;
  description?: string;
  /** Always the owner's `iam_id` (`iam-ServiceId-…` or `IBMid-…`), whatever form the creator sent. */
  iam_id: string;
  account_id: string;
  support_sessions: boolean;
  action_when_leaked: string;
  store_value: boolean;
  /** The secret value. Never serialised by routes except on create (or with store_value). */
  apikey: string;
}

export interface SimAttribute {
  name: string;
  value: string;
  operator?: string;
}

export interface SimPolicy {
  id: string;
  type: string;
  description?: string;
  subjects: Array<{ attributes: SimAttribute[] }>;
  roles: Array<{ role_id: string; display_name?: string; description?: string }>;
  resources: Array<{ attributes: SimAttribute[] }>;
  created_at: string;
  created_by_id: string;
  last_modified_at: string;
  last_modified_by_id: string;
  state: "active" | "deleted";
  etag_version: number;
}

export interface SimStateData {
  accounts: SimAccount[];
  users: SimUser[];
  serviceIds: SimServiceId[];
  apiKeys: SimApiKey[];
  policies: SimPolicy[];
}

/** `2024-10-04T14:05+0000`: IAM Identity timestamps have no seconds. */
export function identityTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 16)}+0000`;
}

export function entityTag(version: number): string {
  return `${version}-${randomBytes(16).toString("hex")}`;
}

/** A stable UUID derived from a label, so seeded objects keep their ids across restarts. */
export function stableUuid(label: string): string {
  const h = createHash("sha256").update(label).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newUuid(): string {
  return randomUUID();
}

/** A 44-character URL-safe key value like the ones IAM generates. */
export function generateApiKeyValue(): string {
  return randomBytes(33).toString("base64url");
}

export class SimStore {
  data: SimStateData;
  private readonly stateFile: string | undefined;

  constructor(initial: SimStateData, stateFile?: string) {
    this.data = initial;
    this.stateFile = stateFile;
  }

  static load(stateFile: string | undefined, fallback: () => SimStateData): SimStore {
    if (stateFile && existsSync(stateFile)) {
      const parsed = JSON.parse(readFileSync(stateFile, "utf8")) as SimStateData;
      return new SimStore(parsed, stateFile);
    }
    const store = new SimStore(fallback(), stateFile);
    store.save();
    return store;
  }

  /** Writes atomically (temp file + rename) so a crash never leaves half a state file. */
  save(): void {
    if (!this.stateFile) return;
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  findApiKeyByValue(value: string): SimApiKey | undefined {
    return this.data.apiKeys.find((k) => k.apikey === value);
  }

  findServiceId(idOrIamId: string): SimServiceId | undefined {
    return this.data.serviceIds.find((s) => s.id === idOrIamId || s.iam_id === idOrIamId);
  }

  findUser(iamId: string): SimUser | undefined {
    return this.data.users.find((u) => u.iam_id === iamId);
  }

  /** The account an identity belongs to, or undefined if the identity is unknown. */
  accountOf(iamId: string): string | undefined {
    return this.findUser(iamId)?.account_id ?? this.findServiceId(iamId)?.account_id;
  }

  activePolicies(): SimPolicy[] {
    return this.data.policies.filter((p) => p.state === "active");
  }
}
