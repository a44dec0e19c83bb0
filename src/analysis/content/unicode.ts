import { lineIndex } from './lines.js';
import { allRegions, type Language, type Region, type RegionKind } from './lexer.js';

/**
 * Trojan Source (CVE-2021-42574, CVE-2021-42694): characters that make code display differently
 * from how it compiles. Bidirectional controls reorder what the reviewer sees; letters from
 * another script that look like Latin ones make two different names look the same.
 */

/** Embeddings/overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI). */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const HAS_BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

const NAMES: Record<number, string> = {
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
};

export interface BidiHit {
  offset: number;
  line: number;
  /** Names of the controls in this region, e.g. ['RLO', 'LRI', 'PDI']. */
  controls: string[];
  region: RegionKind;
  /** True when an embedding, override or isolate is still open where its region (or line) ends. */
  unterminated: boolean;
}

/**
 * Bidi controls grouped by the region (code, string, comment) and line they sit in. A control
 * that is still open at the end of its string or comment spills the reordering onto the code
 * that follows, which is the attack; balanced pairs inside a string are how right-to-left text
 * is written.
 */
export function findBidiControls(text: string, language: Language | undefined): BidiHit[] {
  if (!HAS_BIDI_CONTROL.test(text)) return [];
  const regions: Region[] = language
    ? allRegions(text, language)
    : [{ kind: 'code', start: 0, end: text.length }];
  const hits: BidiHit[] = [];
  const lineOf = lineIndex(text);
  for (const region of regions) {
    // a region is split at line ends: the bidi algorithm resets at each paragraph
    let start = region.start;
    while (start < region.end) {
      let end = text.indexOf('\n', start);
      if (end < 0 || end > region.end) end = region.end;
      const slice = text.slice(start, end);
      const controls: string[] = [];
      let embeddings = 0;
      let isolates = 0;
      let firstOffset = -1;
      for (const m of slice.matchAll(BIDI_CONTROLS)) {
        const code = m[0].charCodeAt(0);
        if (firstOffset < 0) firstOffset = start + m.index;
        controls.push(NAMES[code]);
        if (code === 0x202c) embeddings = Math.max(0, embeddings - 1);
        else if (code === 0x2069) isolates = Math.max(0, isolates - 1);
        else if (code >= 0x2066) isolates++;
        else embeddings++;
      }
      if (controls.length) {
        hits.push({
          offset: firstOffset,
          line: lineOf(firstOffset),
          controls,
          region: language ? region.kind : 'code',
          unterminated: embeddings > 0 || isolates > 0,
        });
      }
      start = end + 1;
    }
  }
  return hits;
}

/** Scripts whose letters are used to imitate Latin ones. */
const LOOKALIKE_SCRIPTS: [string, RegExp][] = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];
const LATIN = /\p{Script=Latin}/u;

/**
 * Letters that render like ASCII ones in common fonts (Unicode confusables, the part that
 * matters for identifiers): Cyrillic, Greek and other look-alikes mapped to their Latin twin.
 */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  в: 'B',
  е: 'e',
  к: 'k',
  м: 'M',
  н: 'H',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 'T',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ү: 'y',
  һ: 'h',
  ց: 'g',
  օ: 'o',
  ս: 'u',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  Ԛ: 'Q',
  Ԝ: 'W',
  Ү: 'Y',
  α: 'a',
  ο: 'o',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  ι: 'i',
  κ: 'k',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

/** The identifier with look-alike letters replaced by the ASCII letters they imitate. */
export function skeleton(identifier: string): string {
  let out = '';
  for (const char of identifier.normalize('NFKC')) out += CONFUSABLE[char] ?? char;
  return out;
}

export interface ConfusableIdentifier {
  identifier: string;
  offset: number;
  line: number;
  /** How it deceives: mixed scripts in one name, a name spelled only with look-alikes, or a name Python/NFKC folds into another. */
  kind: 'mixed-script' | 'whole-script' | 'compatibility-form';
  scripts: string[];
  /** The ASCII name it imitates. */
  imitates: string;
  /** True when another identifier in the same file is exactly the name it imitates. */
  collides: boolean;
}

const IDENTIFIER = /[\p{L}\p{Nl}_$][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$]*/gu;
const NON_ASCII = /[^\p{ASCII}]/u;
/** Cheap pre-check: look-alike letters, or fullwidth/mathematical forms that NFKC folds. */
const LOOKALIKE_OR_FOLDABLE =
  /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Cherokee}\uFF21-\uFF5A\u{1D400}-\u{1D7FF}\u017F\u0131]/u;

/**
 * Identifiers (in code, not strings or comments) that pass for ASCII names they are not:
 * `pаssword` with a Cyrillic а, `ехес` spelled entirely in Cyrillic, or `𝐞𝐱𝐞𝐜` which Python
 * folds (NFKC) into `exec`.
 */
export function findConfusableIdentifiers(
  text: string,
  language: Language,
): ConfusableIdentifier[] {
  if (!LOOKALIKE_OR_FOLDABLE.test(text)) return [];
  const names = new Set<string>();
  const candidates: { identifier: string; offset: number }[] = [];
  for (const region of allRegions(text, language)) {
    if (region.kind !== 'code') continue;
    const code = text.slice(region.start, region.end);
    for (const m of code.matchAll(IDENTIFIER)) {
      if (NON_ASCII.test(m[0]))
        candidates.push({ identifier: m[0], offset: region.start + m.index });
      else names.add(m[0]);
    }
  }
  const out: ConfusableIdentifier[] = [];
  const lineOf = lineIndex(text);
  const seen = new Set<string>();
  for (const { identifier, offset } of candidates) {
    if (seen.has(identifier) || [...identifier].length < 2) continue;
    seen.add(identifier);
    const scripts = LOOKALIKE_SCRIPTS.filter(([, re]) => re.test(identifier)).map(([name]) => name);
    const latin = LATIN.test(identifier);
    const folded = identifier.normalize('NFKC');
    const imitates = skeleton(identifier);
    const asciiTwin = !NON_ASCII.test(imitates);
    let kind: ConfusableIdentifier['kind'] | undefined;
    // only Python folds identifiers (NFKC); in JavaScript `ſ` and `s` are simply two names
    if (language === 'python' && folded !== identifier && !NON_ASCII.test(folded))
      kind = 'compatibility-form';
    // a mixed name is deceptive when it reads as an ASCII one (`pаss`), not when it spells a
    // unit or symbol that has no ASCII twin (`μs`, `Δx`)
    else if (scripts.length && latin && asciiTwin) kind = 'mixed-script';
    else if (scripts.length && asciiTwin && imitates.length > 1) kind = 'whole-script';
    if (!kind) continue;
    out.push({
      identifier,
      offset,
      line: lineOf(offset),
      kind,
      scripts: latin ? ['Latin', ...scripts] : scripts,
      imitates,
      collides: names.has(imitates),
    });
  }
  return out;
}
