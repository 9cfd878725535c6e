import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

/** Next's recommended rules plus the architecture's import boundaries (shared/STYLE.md's arrow and habit 2). */

const SIM = { group: ["@/sim", "@/sim/*", "**/sim/*"], message: "Product code reaches the simulators over HTTP only." };
const CLIENT_NODE = { group: ["@kubernetes/client-node"], message: "Only lib/kube talks to @kubernetes/client-node." };
const IBM_SDK = { group: ["@ibm-cloud/*", "ibm-cloud-sdk-core"], message: "Only lib/iam talks to the IBM Cloud SDKs." };
const PORTS_ONLY = {
  group: ["@prisma/*", "@/lib/generated/*", "@/lib/db", "@/lib/db/*", "next", "next/*", "@kubernetes/client-node", "@ibm-cloud/*", "ibm-cloud-sdk-core"],
  message: "Workflows depend on ports only.",
};
const NO_AUDIT = { group: ["@/lib/audit", "@/lib/audit/*", "../audit", "../audit/*"], message: "Adapters report what happened; recording it in the audit log is the workflow engine's job." };
const COMPONENT_SERVER = [
  {
    group: ["@/lib/db", "@/lib/db/*", "@/lib/queries", "@/lib/queries/*", "@/lib/server/*", "@/lib/generated/*", "@prisma/*"],
    message: "Components get their data as props (loaders live in app/) or from lib/api; they never reach the database or the read models.",
  },
  {
    regex: "^@/lib/auth(/(?!(permissions|password-policy|paths)$).*)?$",
    message: "Components read the user from props; only the pure parts of lib/auth (permissions, password policy, paths) are theirs.",
  },
  {
    group: ["@/lib/kube", "@/lib/kube/*", "@/lib/iam", "@/lib/iam/*"],
    allowTypeImports: true,
    message: "Components render the ports' DTO types; they never call an adapter.",
  },
];

/**
 * One entry per area, so each file gets exactly one list (flat config replaces a rule's options, it does not merge them).
 * The typescript-eslint variant of the rule, for `allowTypeImports`.
 */
function boundaries() {
  const area = (files, ...patterns) => ({ files, rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: patterns.flat() }] } });
  return [
    area(["app/**", "lib/**", "instrumentation.ts", "proxy.ts"], SIM, CLIENT_NODE, IBM_SDK),
    area(["components/**"], SIM, CLIENT_NODE, IBM_SDK, COMPONENT_SERVER),
    area(["lib/workflows/**"], SIM, PORTS_ONLY),
    area(["lib/kube/**"], SIM, IBM_SDK, NO_AUDIT),
    area(["lib/iam/**"], SIM, CLIENT_NODE, NO_AUDIT),
    area(["lib/registry/**", "lib/registry-check/**"], SIM, CLIENT_NODE, IBM_SDK, NO_AUDIT),
  ];
}

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
  ...boundaries(),
  {
    // Small files and functions (STYLE.md habit 10): a function over 80 lines or a file over 300 is usually two ideas.
    // Tests are exempt: a table of cases reads best in one place.
    files: ["app/**", "components/**", "lib/**", "proxy.ts", "instrumentation.ts"],
    ignores: ["lib/generated/**", "**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "max-lines": ["error", { max: 300 }],
      "max-lines-per-function": ["error", { max: 80 }],
    },
  },
  {
    // Import cycles make module order matter and hide which module owns a concept (type-only imports are erased, so they do not count).
    files: ["app/**", "components/**", "lib/**", "instrumentation.ts", "proxy.ts"],
    ignores: ["lib/generated/**"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
];

export default config;
