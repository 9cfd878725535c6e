import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Runs real kubectl binaries against simulators with an isolated HOME and discovery cache. */

export const KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin";
export const kubectlPath = (version: string) => path.join(KUBECTL_DIR, `kubectl.${version}`);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class KubectlHarness {
  readonly dir: string;

  constructor(readonly version: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `kubectl-${version}-`));
  }

  writeKubeconfig(name: string, text: string): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    return file;
  }

  private env(kubeconfig: string): NodeJS.ProcessEnv {
    return { PATH: `${KUBECTL_DIR}:/usr/bin:/bin`, HOME: this.dir, KUBECONFIG: kubeconfig } as unknown as NodeJS.ProcessEnv;
  }

  /** `kubectl <args>` (async: the simulator runs in this process and must keep serving). */
  run(kubeconfig: string, args: string[], stdin?: string): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = execFile(kubectlPath(this.version), args, { env: this.env(kubeconfig), timeout: 45_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === "number" ? ((err as unknown as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (stdin !== undefined) child.stdin!.end(stdin);
    });
  }

  /** A shell pipeline where `kubectl` resolves to this version (for the seed's `| sed | kubectl create -f -`). */
  bash(kubeconfig: string, script: string): Promise<RunResult> {
    const bin = path.join(this.dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const link = path.join(bin, "kubectl");
    if (!fs.existsSync(link)) fs.symlinkSync(kubectlPath(this.version), link);
    return new Promise((resolve) => {
      execFile("bash", ["-o", "pipefail", "-c", script], { env: { ...this.env(kubeconfig), PATH: `${bin}:/usr/bin:/bin` }, timeout: 45_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as unknown as { code: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
