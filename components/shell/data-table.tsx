import { Children, type ReactNode } from "react";
import { EmptyTableRow } from "./empty-table-row";

export interface DataTableColumn {
  label: string;
  /** Read to screen readers only, as for a column of row actions or checkboxes. */
  srOnly?: boolean;
  /** Headers are left-aligned; a column of numbers sets "right". */
  align?: "left" | "right";
}

/**
 * The bordered, scrolling table shell of the admin pages: a screen-reader caption
 * that names the table (what tests and assistive technology find it by), one
 * header row from `columns`, and the rows passed as children. With no rows and an
 * `empty` message, one row spanning every column says what would fill the table.
 */
export function DataTable({ caption, columns, empty, children }: { caption: string; columns: readonly DataTableColumn[]; empty?: ReactNode; children?: ReactNode }) {
  const hasRows = Children.toArray(children).length > 0;
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={column.align === "right" ? "px-3 py-2 text-right" : "px-3 py-2"}>
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{!hasRows && empty !== undefined ? <EmptyTableRow columns={columns.length}>{empty}</EmptyTableRow> : children}</tbody>
      </table>
    </div>
  );
}
