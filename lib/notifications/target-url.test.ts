import { describe, expect, it } from "vitest";
import { displayUrl, targetUrlSchema } from "./target-url";

describe("target URLs", () => {
  it("shows the origin and a short first segment, never a token in the path or query", () => {
    expect(displayUrl("https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX")).toBe("https://hooks.slack.com/services/…");
    expect(displayUrl("https://alerts.example.com/pullkeeper")).toBe("https://alerts.example.com/pullkeeper");
    expect(displayUrl("https://alerts.example.com/hook?token=abc")).toBe("https://alerts.example.com/hook/…");
    expect(displayUrl("https://alerts.example.com/0123456789abcdef0123456789abcdef")).toBe("https://alerts.example.com/0123…");
    expect(displayUrl("http://10.0.0.5:8080/")).toBe("http://10.0.0.5:8080/");
  });

  it("accepts http and https URLs only, without user info or fragment", () => {
    expect(targetUrlSchema.safeParse("https://alerts.example.com/hook").success).toBe(true);
    expect(targetUrlSchema.safeParse("ftp://alerts.example.com/").success).toBe(false);
    expect(targetUrlSchema.safeParse("https://user:pw@alerts.example.com/").success).toBe(false);
    expect(targetUrlSchema.safeParse("https://alerts.example.com/#x").success).toBe(false);
    expect(targetUrlSchema.safeParse("alerts.example.com").success).toBe(false);
  });
});
