import { createHash } from 'node:crypto';

/** SRI algorithms in increasing strength; per the SRI spec only the strongest listed one counts. */
const SRI_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
type SriAlgorithm = (typeof SRI_ALGORITHMS)[number];

export interface IntegrityCheck {
  ok: boolean;
  algorithm: SriAlgorithm;
  expected: string[];
  actual: string;
}

/**
 * Checks bytes against a Subresource Integrity string (`sha512-<base64>`, possibly several
 * space-separated). Returns null when the string names no algorithm we know, so the caller can
 * say that nothing was verified instead of claiming a match.
 */
export function checkSri(data: Uint8Array, sri: string): IntegrityCheck | null {
  const byAlgorithm = new Map<SriAlgorithm, string[]>();
  for (const token of sri.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=_-]+)(\?.*)?$/.exec(token);
    if (!match) continue;
    const algorithm = match[1] as SriAlgorithm;
    byAlgorithm.set(algorithm, [...(byAlgorithm.get(algorithm) ?? []), normaliseBase64(match[2])]);
  }
  const strongest = [...SRI_ALGORITHMS].reverse().find((algorithm) => byAlgorithm.has(algorithm));
  if (strongest === undefined) return null;
  const expected = byAlgorithm.get(strongest) ?? [];
  const actual = createHash(strongest).update(data).digest('base64');
  return { ok: expected.includes(actual), algorithm: strongest, expected, actual };
}

/** npm's legacy `shasum` (hex sha1) as an SRI string. */
export function sha1HexToSri(hex: string): string | null {
  if (!/^[0-9a-f]{40}$/i.test(hex)) return null;
  return `sha1-${Buffer.from(hex, 'hex').toString('base64')}`;
}

export function hexDigest(algorithm: string, data: Uint8Array): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** Some tools write base64url or drop padding; compare in one canonical form. */
function normaliseBase64(value: string): string {
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('base64');
}
