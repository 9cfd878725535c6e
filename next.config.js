/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The image and `npm start` run the self-contained server (scripts/start.mjs); the
  // migrations and schemas it applies at start are copied in by scripts/start-assemble.mjs.
  output: "standalone",
  // Read from disk at run time, so the bundler's tracing cannot see them: the schema
  // engine's WebAssembly file (migrations at start) and the schemas and migrations.
  outputFileTracingIncludes: {
    "/*": ["./node_modules/@prisma/schema-engine-wasm/**/*", "./prisma/**/*"],
  },
  reactStrictMode: true,
  // `npm test` typechecks the whole project as its own step; on two cores the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Native addons, Wasm engines and SDKs that read their own files at run time stay
  // outside the server bundle and load from node_modules.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
    "pg",
    "pino",
    "@kubernetes/client-node",
    "@ibm-cloud/platform-services",
    "ibm-cloud-sdk-core",
    "undici",
  ],
  experimental: {
    serverActions: {
      // Server actions accept only requests whose Origin matches the Host; behind a reverse
      // proxy that rewrites Host, list the public host(s) here (same variable as lib/env.ts).
      allowedOrigins: (process.env.PULLKEEPER_ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((host) => host.trim().replace(/^https?:\/\//, ""))
        .filter(Boolean),
      // Next's default, written out: proxy.ts refuses a larger body with 413 before Next reads it
      // (SERVER_ACTION_BODY_LIMIT in lib/auth/server-action-guard.ts; a test compares them).
      bodySizeLimit: "1mb",
    },
  },
  // Kept in step with STATIC_SECURITY_HEADERS in lib/auth/security-headers.ts (a test compares them);
  // the Content-Security-Policy, which needs a nonce per response, is set in proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
