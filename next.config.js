/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
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
  ],
};

export default nextConfig;
