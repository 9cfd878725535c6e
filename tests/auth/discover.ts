import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** Every route handler under app/. */
export function routeFiles(): string[] {
  return walk(path.join(ROOT, "app")).filter((file) => /\/route\.tsx?$/.test(file)).map(relative).sort();
}

/** Every page under app/. */
export function pageFiles(): string[] {
  return walk(path.join(ROOT, "app")).filter((file) => /\/page\.tsx?$/.test(file)).map(relative).sort();
}

const DIRECTIVE = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["'];?/;

/** Modules whose first statement is "use server", and files with an inline "use server" function (not enumerable). */
export function serverActionFiles(): { modules: string[]; inline: string[] } {
  const modules: string[] = [];
  const inline: string[] = [];
  for (const file of ["app", "lib", "components"].flatMap((dir) => walk(path.join(ROOT, dir)))) {
    const source = fs.readFileSync(file, "utf8");
    if (DIRECTIVE.test(source)) modules.push(relative(file));
    else if (/^\s*["']use server["']/m.test(source)) inline.push(relative(file));
  }
  return { modules: modules.sort(), inline: inline.sort() };
}

/** Fills a route's dynamic segments with sample values: app/clusters/[cluster]/page.tsx → { cluster: "sample-cluster" }. */
export function routeParams(file: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const segments = file
    .replace(/^app\//, "")
    .replace(/\/?(page|route)\.tsx?$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith("@"))
    .map((segment) => {
      const catchAll = /^\[\[?\.\.\.(.+?)\]\]?$/.exec(segment);
      if (catchAll) {
        params[catchAll[1]!] = ["sample"];
        return "sample";
      }
      const dynamic = /^\[(.+)\]$/.exec(segment);
      if (dynamic) {
        params[dynamic[1]!] = `sample-${dynamic[1]}`;
        return `sample-${dynamic[1]}`;
      }
      return segment;
    });
  return { url: `/${segments.join("/")}`, params };
}
