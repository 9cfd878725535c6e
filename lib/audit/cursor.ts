/** Keyset cursors over (startedAt, id), newest first: stable under concurrent inserts. */
export interface CursorPosition {
  startedAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.startedAt.toISOString()}|${position.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition | null {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const separator = text.indexOf("|");
  if (separator < 0) return null;
  const startedAt = new Date(text.slice(0, separator));
  const id = text.slice(separator + 1);
  if (Number.isNaN(startedAt.getTime()) || !id) return null;
  return { startedAt, id };
}
