/**
 * PostgreSQL text search: which parts of the searched text its trigram index should look up.
 *
 * pg_trgm's GIN index answers `ILIKE '%text%'` by intersecting the posting lists of every trigram in the text.
 * A word found in nearly every document (one every summary, kind or actor shares) narrows nothing, yet the index
 * walks the posting lists of its trigrams, each of the table's size; at a million operations that walk was most
 * of a search's time. So when a sample of the documents shows the text to be rare but some of its words to be
 * common, the index is asked for the rare words only (each with the characters around it in the text), and the
 * whole text still decides every match. The rows found are exactly those the whole text finds: each piece is a
 * part of the text, so a document that contains the text contains every piece.
 */

/** A word in more than this share of the sampled documents is left to the final check. */
const COMMON_SHARE = 0.5;
/** The pieces are looked up only when at most this share of the sample holds them all (a rare text). */
const RARE_SHARE = 0.02;
/** With fewer sampled documents than this (a small or never-analysed table), the index gets the whole text. */
const MIN_SAMPLE = 20;
/** pg_trgm matches on trigrams: a shorter word narrows too little to be looked up alone. */
const MIN_WORD = 3;

/**
 * The parts of `text` for the index to look up, or none when the whole text should go to the index as it is:
 * no usable sample, no common word to leave out, no rare word left, or a text not rare enough for the index
 * to beat reading the log newest first (which the planner then chooses, as before).
 */
export function selectivePieces(text: string, sampledDocuments: readonly string[]): string[] {
  if (sampledDocuments.length < MIN_SAMPLE) return [];
  const documents = sampledDocuments.map((document) => document.toLowerCase());
  const share = (parts: string[]) =>
    documents.filter((document) => parts.every((part) => document.includes(part))).length / documents.length;
  const lowered = text.toLowerCase();
  const pieces: string[] = [];
  let commonWords = 0;
  // Words as pg_trgm takes them (ASCII letters and digits; other characters separate words).
  for (const word of lowered.matchAll(/[a-z0-9]+/g)) {
    if (word[0].length < MIN_WORD) continue;
    if (share([word[0]]) > COMMON_SHARE) {
      commonWords++;
      continue;
    }
    // With the neighbouring separator, as in the text: pg_trgm then also uses the word's start and end.
    const start = Math.max(0, word.index - 1);
    pieces.push(lowered.slice(start, word.index + word[0].length + 1));
  }
  if (!commonWords || !pieces.length) return [];
  return share(pieces) <= RARE_SHARE ? pieces : [];
}
