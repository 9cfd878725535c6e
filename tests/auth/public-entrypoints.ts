/**
 * Everything that may be reached without signing in, each with its reason.
 * The enumeration test refuses any other route handler, server action or page
 * that answers an anonymous request; adding an entry here is a security review.
 */

export const PUBLIC_ROUTES: Record<string, { methods: string[]; reason: string }> = {
  "app/api/health/route.ts": { methods: ["GET"], reason: "liveness for load balancers; reveals only whether the database answers" },
  "app/api/health/live/route.ts": { methods: ["GET"], reason: "the kubelet's liveness probe; says only that the process answers" },
  "app/api/health/ready/route.ts": { methods: ["GET"], reason: "the kubelet's readiness probe; says only whether the database answers and the process takes work" },
  "app/api/auth/[...all]/route.ts": { methods: ["GET", "POST"], reason: "better-auth's sign-in, sign-out, session and OIDC callback endpoints; each checks its own session" },
  "app/api/metrics/route.ts": { methods: ["GET"], reason: "Prometheus scrape: a bearer token (PULLKEEPER_METRICS_TOKEN) instead of a session, 401 without it, 404 while unset; counts and names only (tests/metrics)" },
  "app/api/auth/sso/route.ts": { methods: ["GET"], reason: "starts single sign-on; only sends the browser to the configured provider" },
};

export const PUBLIC_ACTIONS: Record<string, string> = {
  "lib/actions/auth/sign-in.ts#signInAction": "signing in is what anonymous people do; throttled per account and address",
  "lib/actions/auth/complete-setup.ts#completeSetupAction": "first-run setup; needs the one-time token from the server log and works only while no user exists",
};

export const PUBLIC_PAGES: Record<string, string> = {
  "app/(auth)/sign-in/page.tsx": "the sign-in form",
  "app/(auth)/setup/page.tsx": "first-run setup; redirects to sign-in once any user exists",
};
