import type { ReactNode } from "react";

/** The one row of a table with nothing to list yet: spans every column and says what would fill it. */
export function EmptyTableRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-3 py-6 text-center text-slate-500">
        {children}
      </td>
    </tr>
  );
}
