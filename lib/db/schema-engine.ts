import "server-only";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Loads Prisma's official schema engine compiled to WebAssembly. Its package entry
 * imports the .wasm file as an ES module, which Node 20 cannot do, so the glue
 * module and the binary are loaded separately (shared/reference/prisma-migrations.md).
 */
async function loadSchemaEngineModule(): Promise<typeof import("@prisma/schema-engine-wasm")> {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  // The package exports only its entry; resolving that gives the folder that holds the .wasm file.
  const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  const glue = await import(
    /* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(path.join(packageDir, "schema_engine_bg.js")).href
  );
  const wasmBytes = fs.readFileSync(path.join(packageDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue;
}

let enginePromise: Promise<typeof import("@prisma/schema-engine-wasm")> | undefined;

export interface SchemaEngineHandle {
  engine: SchemaEngine;
  /** Engine log lines (JSON), kept for error reports instead of printed. */
  logs: string[];
  /** Frees the engine and closes its connections (SQLite keeps an exclusive lock until then). */
  close(): Promise<void>;
}

export async function openSchemaEngine(
  schemaFiles: Array<[fileName: string, content: string]>,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngineHandle> {
  enginePromise ??= loadSchemaEngineModule();
  const engineModule = await enginePromise;
  const logs: string[] = [];
  // The engine never disposes the connections it opens, so track them here.
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(() => adapterFactory.connect()),
    connectToShadowDb: () => track(() => adapterFactory.connectToShadowDb()),
  };
  const engine = await engineModule.SchemaEngine.new(
    { datamodels: schemaFiles },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(trackingFactory),
  );
  return {
    engine,
    logs,
    async close() {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose()));
    },
  };
}
