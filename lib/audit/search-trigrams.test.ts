import { describe, expect, it } from "vitest";
import { selectivePieces } from "./search-trigrams";

const sample = Array.from({ length: 100 }, (_, i) => `op-${i}\u001fcopy_pull_secrets\u001fengineer${i % 40}@example.com\u001fprod\u001f["team-${i}"]\u001fRoutine sweep ${i * 7}`);

describe("selectivePieces", () => {
  it("leaves out the words most documents share and keeps the rare ones with the separators around them", () => {
    expect(selectivePieces("Routine SWEEP 99999", sample)).toEqual([" 99999"]);
    expect(selectivePieces("eep 4242-x", sample)).toEqual([" 4242-"]);
  });

  it("gives the whole text to the index when nothing can be left out, nothing rare remains, or there is no sample", () => {
    // No common word.
    expect(selectivePieces("zebra crossing", sample)).toEqual([]);
    // Every word common.
    expect(selectivePieces("routine sweep", sample)).toEqual([]);
    // The rest is not rare: "engineer7" is in several sampled documents.
    expect(selectivePieces("engineer7@example.com", sample)).toEqual([]);
    // Too few sampled documents (a table never analysed).
    expect(selectivePieces("routine sweep 99999", sample.slice(0, 5))).toEqual([]);
    // Words shorter than a trigram are never looked up alone.
    expect(selectivePieces("sweep 9", sample)).toEqual([]);
  });
});
