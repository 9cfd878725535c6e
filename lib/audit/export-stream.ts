/**
 * The body of an audit export: the store's chunks (one page of rows each) encoded as
 * they are read, one page at a time. `pull` runs only when the consumer (the HTTP
 * response, through Next's and Node's buffers) wants more, so a slow or stalled client
 * holds at most a page or two in memory and never makes the server read the whole
 * log; a client that goes away closes the store's iterator (and its query loop).
 */
export function exportBody(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // One chunk (a page) read ahead at most.
    { highWaterMark: 1 },
  );
}
