import { unzipSync } from "fflate";

/**
 * The ZIP `applyRBACAndGetKubeconfig` answers with `format: "zip"`: one kubeconfig
 * (`*.yaml`/`*.yml`) and the files it names (the cluster CA, `ca-<dc>-<cluster>.pem`),
 * side by side at the top level, as bluemix-go's containerv2 unpacks it. Read in memory,
 * never written to disk; bounded so a hostile archive cannot exhaust memory.
 */

export const MAX_ZIP_BYTES = 1024 * 1024;
const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_ENTRIES = 16;

export type KubeconfigZip = { ok: true; kubeconfig: string; fileName: string; files: Record<string, string> } | { ok: false; reason: string };

export function readKubeconfigZip(data: Uint8Array): KubeconfigZip {
  if (data.byteLength > MAX_ZIP_BYTES) return { ok: false, reason: "The kubeconfig archive is larger than 1 MiB." };
  let entries: Record<string, Uint8Array>;
  let tooBig = false;
  let count = 0;
  try {
    entries = unzipSync(data, {
      filter: (file) => {
        count += 1;
        if (file.originalSize > MAX_ENTRY_BYTES) tooBig = true;
        return !tooBig && count <= MAX_ENTRIES && !file.name.endsWith("/");
      },
    });
  } catch {
    return { ok: false, reason: "The kubeconfig archive is not a valid ZIP file." };
  }
  if (tooBig || count > MAX_ENTRIES) return { ok: false, reason: "The kubeconfig archive holds more or larger files than a kubeconfig needs." };
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(entries)) {
    // Entries are kept by their plain name only: a path with a directory or `..` is never resolved against anything.
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) return { ok: false, reason: `The kubeconfig archive contains an unexpected path "${name}".` };
    files[name] = Buffer.from(bytes).toString("utf8");
  }
  const configs = Object.keys(files).filter((n) => /\.ya?ml$/i.test(n));
  if (configs.length !== 1) return { ok: false, reason: configs.length === 0 ? "The kubeconfig archive holds no kubeconfig (*.yaml)." : "The kubeconfig archive holds more than one kubeconfig." };
  const fileName = configs[0]!;
  const { [fileName]: kubeconfig, ...rest } = files;
  return { ok: true, kubeconfig: kubeconfig!, fileName, files: rest };
}
