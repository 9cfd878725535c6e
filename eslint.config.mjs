import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Next's recommended rules plus the architecture's import boundaries (shared/STYLE.md habit 2). */
const restricted = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const config = [
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Simulators and their tests handle arbitrary Kubernetes and IAM JSON; typing every shape buys nothing there.
    files: ["sim/**", "tests/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Playwright fixtures call `use`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["app/**", "components/**", "lib/**"],
    rules: restricted([
      { group: ["@/sim/*", "**/sim/*"], message: "Product code reaches the simulators over HTTP only." },
    ]),
  },
  {
    files: ["app/**", "components/**", "lib/workflows/**", "lib/coverage/**", "lib/audit/**", "lib/auth/**", "lib/registry/**", "lib/registry-check/**", "lib/iam/**"],
    ignores: ["lib/kube/**"],
    rules: restricted([
      { group: ["@kubernetes/client-node"], message: "Only lib/kube talks to @kubernetes/client-node." },
      { group: ["@/sim/*", "**/sim/*"], message: "Product code reaches the simulators over HTTP only." },
    ]),
  },
  {
    files: ["lib/workflows/**"],
    rules: restricted([
      { group: ["@prisma/*", "@/lib/generated/*", "@/lib/db", "@/lib/db/*", "next", "next/*"], message: "Workflows depend on ports only." },
      { group: ["@kubernetes/client-node", "@ibm-cloud/*", "ibm-cloud-sdk-core"], message: "Workflows depend on ports only." },
    ]),
  },
];

export default config;
