import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, type DataTableColumn } from "./data-table";

const columns: DataTableColumn[] = [{ label: "Cluster" }, { label: "Namespaces", align: "right" }, { label: "Actions", srOnly: true }];

const row = (name: string) => createElement("tr", { key: name }, createElement("td", null, name));

describe("DataTable", () => {
  it("names the table by its caption and heads every column", () => {
    const html = renderToStaticMarkup(DataTable({ caption: "Clusters", columns, empty: "No clusters yet.", children: [row("prod")] }));
    expect(html).toContain('<caption class="sr-only">Clusters</caption>');
    expect(html).toContain('<th scope="col" class="px-3 py-2">Cluster</th>');
    expect(html).toContain('<th scope="col" class="px-3 py-2 text-right">Namespaces</th>');
    expect(html).toContain('<th scope="col" class="px-3 py-2"><span class="sr-only">Actions</span></th>');
    expect(html).toContain("<tbody><tr><td>prod</td></tr></tbody>");
    expect(html).not.toContain("No clusters yet.");
  });

  it("says what would fill it when there are no rows, across every column", () => {
    const html = renderToStaticMarkup(DataTable({ caption: "Clusters", columns, empty: "No clusters yet.", children: [] }));
    expect(html).toContain('<td colSpan="3" class="px-3 py-6 text-center text-slate-500">No clusters yet.</td>');
  });

  it("leaves the body empty when it has no empty message", () => {
    const html = renderToStaticMarkup(DataTable({ caption: "Clusters", columns, children: [] }));
    expect(html).toContain("<tbody></tbody>");
  });
});
