import { describe, expect, it } from "vitest";
import { authKindOf } from "./auth-kind";
import { TOKEN_FILE_PROVIDER, TOKEN_SOURCE_PROVIDER } from "./token-file-auth";

describe("authKindOf", () => {
  it("names how each kind of kubeconfig user authenticates", () => {
    expect(authKindOf({ name: "u", token: "t" })).toBe("token");
    expect(authKindOf({ name: "u", certData: "c", keyData: "k" })).toBe("client-certificate");
    expect(authKindOf({ name: "u", certFile: "/c" })).toBe("client-certificate");
    expect(authKindOf({ name: "u", username: "a", password: "b" })).toBe("basic");
    expect(authKindOf({ name: "u", exec: { command: "ibmcloud" } })).toBe("exec");
    expect(authKindOf({ name: "u", authProvider: { name: "oidc", config: {} } })).toBe("auth-provider");
    expect(authKindOf({ name: "u", authProvider: { name: TOKEN_FILE_PROVIDER, config: {} } })).toBe("service-account-token-file");
    expect(authKindOf({ name: "u", authProvider: { name: TOKEN_SOURCE_PROVIDER, config: {} } })).toBe("token-source");
    expect(authKindOf({ name: "u" })).toBe("none");
    expect(authKindOf(null)).toBe("none");
  });
});
