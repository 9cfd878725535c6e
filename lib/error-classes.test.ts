import { describe, expect, it } from "vitest";
import { AuthConfigError } from "@/lib/auth/config";
import { MigrationError } from "@/lib/db/migrations";
import { PendingMigrationsError } from "@/lib/db/pending-migrations";
import { EnvError } from "@/lib/env";
import { describeError, INTERNAL_ERROR_MESSAGE, isPullkeeperError } from "@/lib/errors";
import { OutboundRefusedError } from "@/lib/net/errors";
import { DockerConfigParseError } from "@/lib/registry/docker-config";
import { ImageReferenceError } from "@/lib/registry/image-ref";
import { DeleteSecretError } from "@/lib/workflows/delete-pull-secret";
import { VerifyCredentialsError } from "@/lib/workflows/verify-pull-secret";

describe("every error class is a PullkeeperError", () => {
  it("start-up errors are config errors: recognised by brand, their text kept for the server log", () => {
    for (const error of [new AuthConfigError("AUTH_SECRET: required"), new EnvError(["PORT: not a number"]), new MigrationError("applying migrations failed", []), new PendingMigrationsError(["20261206_x"])]) {
      expect(isPullkeeperError(error, "config")).toBe(true);
      expect(describeError(error).message).toBe(INTERNAL_ERROR_MESSAGE);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it("input and workflow errors reach the operator with their own message and kind", () => {
    const cases = [
      [new DockerConfigParseError("not_json", "the .dockerconfigjson value is not valid JSON"), "registry", "invalid"],
      [new ImageReferenceError("Not/Valid", "the repository name must be lowercase letters, digits and separators"), "registry", "invalid"],
      [new OutboundRefusedError("10.0.0.1", 443, "PULLKEEPER_REGISTRY_ALLOWED_HOSTS"), "registry", "forbidden"],
      [new DeleteSecretError("This secret cannot be deleted here."), "workflow", "rejected"],
      [new VerifyCredentialsError("The audit log cannot be written right now, so nothing was verified. Try again shortly.", "unavailable"), "workflow", "unavailable"],
    ] as const;
    for (const [error, source, kind] of cases) {
      expect(isPullkeeperError(error, source, kind)).toBe(true);
      expect(describeError(error)).toMatchObject({ kind, message: error.message });
    }
    expect(describeError(cases[4][0]).transient).toBe(true);
    expect(describeError(cases[2][0]).transient).toBe(false);
  });
});
