/**
 * The Next.js request scope (`next/headers`) for tests that call server
 * actions directly: a test holds one request (headers and a cookie jar) and
 * mocks the module with `vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeaders(request))`.
 */
export interface TestRequest {
  headers: Headers;
  cookies: Map<string, string>;
}

export function nextHeaders(request: TestRequest) {
  return {
    headers: async () => request.headers,
    cookies: async () => ({
      get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
      getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
      has: (name: string) => request.cookies.has(name),
      set: (name: string, value: string) => void request.cookies.set(name, value),
      delete: (name: string) => void request.cookies.delete(name),
    }),
  };
}
