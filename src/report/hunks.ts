const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Right-side (new file) line numbers that appear in the patch's hunks: added and context lines.
 * Only these can carry an inline review comment; GitHub rejects the whole review with a 422 if
 * one comment sits elsewhere. No patch (GitHub omits it for large diffs) means no such lines.
 */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let rightLine = 0;
  let leftRemaining = 0;
  let rightRemaining = 0;
  for (const text of patch.split(/\r?\n/)) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      rightLine = Number(header[3]);
      leftRemaining = header[2] === undefined ? 1 : Number(header[2]);
      rightRemaining = header[4] === undefined ? 1 : Number(header[4]);
      continue;
    }
    if (leftRemaining <= 0 && rightRemaining <= 0) continue; // outside any hunk
    const marker = text[0];
    if (marker === '+') {
      lines.add(rightLine++);
      rightRemaining--;
    } else if (marker === '-') {
      leftRemaining--;
    } else if (marker === ' ' || (text === '' && leftRemaining > 0 && rightRemaining > 0)) {
      // Context line (some tools strip the single space of an empty context line).
      lines.add(rightLine++);
      leftRemaining--;
      rightRemaining--;
    }
    // '\ No newline at end of file' and anything else belongs to neither side.
  }
  return lines;
}
