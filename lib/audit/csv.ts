/**
 * RFC 4180 quoting, plus a leading apostrophe on cells a spreadsheet would run
 * as a formula or a DDE command (CSV injection: a namespace or summary starting
 * with "=", "+", "-", "@", "|", a tab or a carriage return).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@|\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
