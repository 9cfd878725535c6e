# Pullkeeper container image. Build: docker build -t pullkeeper:0.1.0 .
# Stage 1 installs and builds; the runtime stage holds only the assembled
# standalone bundle (server, production dependencies it traces, the schema
# engine's WebAssembly file, schemas and migrations, start.mjs). No shell,
# no npm, no package manager at run time; a fixed non-root uid/gid.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 ships prebuilt binaries for this platform; the toolchain is a fallback.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma prisma
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

# Distroless: glibc and Node only (the same Debian 12 base as the build stage, so
# the native better-sqlite3 addon links), running as uid/gid 65532 "nonroot".
FROM gcr.io/distroless/nodejs20-debian12:nonroot AS runtime
WORKDIR /app
COPY --from=build --chown=0:0 /src/.next/standalone /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    DATABASE_URL=file:/data/pullkeeper.db
USER 65532:65532
EXPOSE 3000
# The root filesystem can be read-only: SQLite writes under /data (a volume),
# Node and Next write only under /tmp (an emptyDir in deploy/).
VOLUME ["/data"]
# The distroless image's entrypoint is node itself. The heap flags are the same as `npm start`'s (a test
# compares them): V8 otherwise grows the heap toward ~2 GB under load (RSS 930-960 MiB in bench:load, above
# the Deployment's 768 Mi limit); capped, it collects sooner: at 50 users the peak was 532 MiB with 32 MiB
# semi-spaces and 457 MiB with 16 MiB ones, at the same throughput. See deploy/README.md.
CMD ["--max-semi-space-size=16", "--max-old-space-size=384", "/app/start.mjs"]
