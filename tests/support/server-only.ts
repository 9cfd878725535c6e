// Vitest runs outside React's server bundler, where the real `server-only`
// package throws on import; the guard is a bundler concern, so tests get a no-op.
export {};
