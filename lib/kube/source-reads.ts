import { PullSecretContentMemo } from "./mappers";

/**
 * The copy sources one run chunk has read, so a source copied into 500
 * namespaces is read from the API server once instead of 500 times. Made by
 * the workflow engine per chunk and handed to `copySecret`; only lib/kube reads
 * what it holds (the source's type and data, like the run's other in-memory
 * credentials, dropped with the chunk). A read that fails is forgotten, so the
 * next copy reads again.
 */
export class SourceReads {
  readonly #reads = new Map<string, Promise<unknown>>();
  /**
   * The parsed content of the copies written from these sources: the API server's answer to each create is still
   * mapped (what it stored), but equal content is decoded and fingerprinted once per chunk, not once per copy.
   * @internal for lib/kube
   */
  readonly contents = new PullSecretContentMemo();

  /** The result of `read` for `key`, read once per holder. @internal for lib/kube */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const known = this.#reads.get(key) as Promise<T> | undefined;
    if (known) return known;
    const pending = read();
    this.#reads.set(key, pending);
    pending.catch(() => this.#reads.delete(key));
    return pending;
  }
}
