// Known-malicious and vulnerability advisories: OSV (one batched query per run) and GitHub's
// advisory database for malware. The network calls are thin; matching and findings are pure.
import { satisfies as pep440Satisfies, validRange as pep440ValidRange } from '@renovatebot/pep440';
import semver from 'semver';
import type { Ecosystem, Finding } from '../types.js';
import { asRecord } from './metadata.js';
import { normalizeName } from './popular.js';

export interface AdvisoryPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

/** Map key of a package version in every advisory result: `npm:left-pad@1.3.0`. */
export function advisoryKey(pkg: AdvisoryPackage): string {
  return `${pkg.ecosystem}:${normalizeName(pkg.ecosystem, pkg.name)}@${pkg.version}`;
}

export type AdvisorySource = 'osv' | 'github';

/** A lookup source could not answer: the caller reports it once as a warning and scans on. */
export class AdvisorySourceError extends Error {
  constructor(
    readonly source: AdvisorySource,
    message: string,
  ) {
    super(message);
    this.name = 'AdvisorySourceError';
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

interface HttpDeps {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

async function requestJson(
  source: AdvisorySource,
  url: string,
  init: RequestInit,
  deps: HttpDeps,
): Promise<{ body: unknown; headers: Headers }> {
  const doFetch = deps.fetch ?? globalThis.fetch;
  let lastError = '';
  // One retry: advisory services are usually up, and a single blip should not cost the signal.
  for (let attempt = 0; attempt < 2; attempt++) {
    let response: Response;
    try {
      response = await doFetch(url, {
        ...init,
        signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      continue;
    }
    if (response.ok) {
      try {
        return { body: await response.json(), headers: response.headers };
      } catch {
        throw new AdvisorySourceError(source, `${url} answered with invalid JSON`);
      }
    }
    lastError = `HTTP ${response.status}`;
    await response.body?.cancel().catch(() => {});
    if (response.status < 500 && response.status !== 429) break;
  }
  throw new AdvisorySourceError(source, `${url}: ${lastError}`);
}

// ---------------------------------------------------------------- OSV

export interface OsvVulnRef {
  id: string;
  modified?: string;
}

export interface OsvResult {
  vulns: OsvVulnRef[];
}

export interface OsvOptions extends HttpDeps {
  /** e.g. `https://api.osv.dev` */
  osvUrl: string;
}

/** OSV allows this many queries in one batch. */
const OSV_BATCH_LIMIT = 1000;
/** Follow-up pages for packages with very many records; bounded so a bad server cannot loop us. */
const OSV_MAX_PAGES = 10;

const OSV_ECOSYSTEM: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI' };

interface OsvQuery {
  key: string;
  body: { package: { name: string; ecosystem: string }; version: string; page_token?: string };
}

/**
 * `POST {osvUrl}/v1/querybatch` for every package at once (split only past OSV's 1000-query
 * limit; a result with `next_page_token` is asked again with that token). The batch answer
 * carries ids only, which is enough: `MAL-` ids are OSV's malicious-package records.
 * Throws {@link AdvisorySourceError} when OSV cannot be reached or answers nonsense.
 */
export async function queryOsv(
  packages: readonly AdvisoryPackage[],
  options: OsvOptions,
): Promise<Map<string, OsvResult>> {
  const results = new Map<string, OsvResult>();
  let pending: OsvQuery[] = [];
  for (const pkg of packages) {
    const key = advisoryKey(pkg);
    if (results.has(key)) continue;
    results.set(key, { vulns: [] });
    pending.push({
      key,
      body: {
        package: { name: pkg.name, ecosystem: OSV_ECOSYSTEM[pkg.ecosystem] },
        version: pkg.version,
      },
    });
  }
  const url = `${options.osvUrl.replace(/\/+$/, '')}/v1/querybatch`;
  for (let page = 0; pending.length > 0 && page < OSV_MAX_PAGES; page++) {
    const next: OsvQuery[] = [];
    for (let start = 0; start < pending.length; start += OSV_BATCH_LIMIT) {
      const chunk = pending.slice(start, start + OSV_BATCH_LIMIT);
      const { body } = await requestJson(
        'osv',
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ queries: chunk.map((q) => q.body) }),
        },
        options,
      );
      const answers = asRecord(body)?.results;
      if (!Array.isArray(answers) || answers.length !== chunk.length) {
        throw new AdvisorySourceError(
          'osv',
          `${url} returned ${Array.isArray(answers) ? answers.length : 'no'} results for ${chunk.length} queries`,
        );
      }
      answers.forEach((answer, i) => {
        const record = asRecord(answer) ?? {};
        const target = results.get(chunk[i].key);
        for (const vuln of Array.isArray(record.vulns) ? record.vulns : []) {
          const id = asRecord(vuln)?.id;
          if (typeof id === 'string' && id && target && !target.vulns.some((v) => v.id === id)) {
            const modified = asRecord(vuln)?.modified;
            target.vulns.push({ id, ...(typeof modified === 'string' ? { modified } : {}) });
          }
        }
        if (typeof record.next_page_token === 'string' && record.next_page_token) {
          next.push({
            key: chunk[i].key,
            body: { ...chunk[i].body, page_token: record.next_page_token },
          });
        }
      });
    }
    pending = next;
  }
  return results;
}

// ---------------------------------------------------------------- GitHub advisory database

export interface GithubAdvisory {
  ghsa_id: string;
  html_url?: string;
  summary?: string;
  type?: string;
  withdrawn_at?: string | null;
  vulnerabilities?: {
    package?: { ecosystem?: string; name?: string } | null;
    vulnerable_version_range?: string | null;
  }[];
}

export interface GithubAdvisoryOptions extends HttpDeps {
  /** GitHub REST API base, e.g. `https://api.github.com` (`GITHUB_API_URL` on a runner). */
  apiUrl: string;
  token?: string;
}

const GITHUB_ECOSYSTEM: Record<Ecosystem, string> = { npm: 'npm', pypi: 'pip' };
/** Keeps each request URL well under GitHub's limit (it answers 414 past it). */
const MAX_AFFECTS_CHARS = 6000;
const MAX_GITHUB_PAGES = 20;

function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

function affectsChunks(packages: readonly AdvisoryPackage[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const pkg of packages) {
    const item = `${pkg.name}@${pkg.version}`;
    if (current.length > 0 && length + item.length + 1 > MAX_AFFECTS_CHARS) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(item);
    length += item.length + 1;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Whether a GitHub `vulnerable_version_range` (`>= 1.0, < 1.2`, `= 1.0.3`) holds `version`; undefined when it cannot tell. */
export function versionInRange(
  ecosystem: Ecosystem,
  version: string,
  range: string,
): boolean | undefined {
  const clauses = range
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length === 0) return undefined;
  if (ecosystem === 'npm') {
    const expression = clauses.map((c) => c.replace(/^=\s*/, '').replace(/\s+/g, '')).join(' ');
    if (!semver.valid(version) || !semver.validRange(expression)) return undefined;
    return semver.satisfies(version, expression, { includePrerelease: true });
  }
  const specifier = clauses.map((c) => c.replace(/^=\s*/, '==').replace(/\s+/g, '')).join(',');
  if (!pep440ValidRange(specifier)) return undefined;
  return pep440Satisfies(version, specifier, { prereleases: true });
}

/**
 * `GET {apiUrl}/advisories?type=malware&ecosystem=…&affects=a@1,b@2` — one request per
 * ecosystem (more only for very long lists, or for further pages). Each advisory is matched
 * back to the exact package versions it names. Throws {@link AdvisorySourceError} on failure.
 */
export async function queryGithubMalware(
  packages: readonly AdvisoryPackage[],
  options: GithubAdvisoryOptions,
): Promise<Map<string, GithubAdvisory[]>> {
  const results = new Map<string, GithubAdvisory[]>();
  for (const pkg of packages) results.set(advisoryKey(pkg), []);
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'pkg-gate',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const base = options.apiUrl.replace(/\/+$/, '');

  for (const ecosystem of ['npm', 'pypi'] as const) {
    const ofEcosystem = packages.filter((p) => p.ecosystem === ecosystem);
    for (const affects of affectsChunks(ofEcosystem)) {
      const query = new URLSearchParams({
        type: 'malware',
        ecosystem: GITHUB_ECOSYSTEM[ecosystem],
        affects: affects.join(','),
        per_page: '100',
      });
      let url: string | undefined = `${base}/advisories?${query}`;
      for (let page = 0; url && page < MAX_GITHUB_PAGES; page++) {
        const { body, headers: responseHeaders } = await requestJson(
          'github',
          url,
          { headers },
          options,
        );
        if (!Array.isArray(body)) {
          throw new AdvisorySourceError('github', `${base}/advisories did not return a list`);
        }
        for (const advisory of body)
          attachAdvisory(asRecord(advisory), ecosystem, ofEcosystem, results);
        url = nextLink(responseHeaders);
      }
    }
  }
  return results;
}

function attachAdvisory(
  record: Record<string, unknown> | undefined,
  ecosystem: Ecosystem,
  packages: readonly AdvisoryPackage[],
  results: Map<string, GithubAdvisory[]>,
): void {
  if (!record || typeof record.ghsa_id !== 'string' || record.withdrawn_at) return;
  const advisory = record as unknown as GithubAdvisory;
  for (const entry of Array.isArray(advisory.vulnerabilities) ? advisory.vulnerabilities : []) {
    const affected = entry?.package;
    if (
      !affected?.name ||
      (affected.ecosystem && affected.ecosystem !== GITHUB_ECOSYSTEM[ecosystem])
    )
      continue;
    const name = normalizeName(ecosystem, affected.name);
    for (const pkg of packages) {
      if (normalizeName(ecosystem, pkg.name) !== name) continue;
      const range = entry.vulnerable_version_range;
      // GitHub already filtered by `affects=name@version`; only a range that clearly
      // excludes the version overrides it.
      if (range && versionInRange(ecosystem, pkg.version, range) === false) continue;
      const list = results.get(advisoryKey(pkg));
      if (list && !list.some((a) => a.ghsa_id === advisory.ghsa_id)) list.push(advisory);
    }
  }
}

// ---------------------------------------------------------------- findings

export function osvLink(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

export function isMalwareId(id: string): boolean {
  return id.startsWith('MAL-');
}

/** Findings for one package version from what OSV and GitHub said about it. */
export function advisoryFindings(
  pkg: AdvisoryPackage,
  osv?: OsvResult,
  github?: readonly GithubAdvisory[],
): Finding[] {
  const malicious: { id: string; link: string }[] = [];
  for (const vuln of osv?.vulns ?? []) {
    if (isMalwareId(vuln.id)) malicious.push({ id: vuln.id, link: osvLink(vuln.id) });
  }
  for (const advisory of github ?? []) {
    if (advisory.type !== undefined && advisory.type !== 'malware') continue;
    malicious.push({
      id: advisory.ghsa_id,
      link: advisory.html_url ?? `https://github.com/advisories/${advisory.ghsa_id}`,
    });
  }
  const vulnerabilities = (osv?.vulns ?? []).filter((v) => !isMalwareId(v.id)).map((v) => v.id);
  const label = `${pkg.name}@${pkg.version}`;
  const findings: Finding[] = [];
  if (malicious.length > 0) {
    findings.push({
      rule: 'known-malicious',
      severity: 'critical',
      file: '',
      line: 0,
      message: `${label} is listed as malicious: ${malicious.map((m) => `${m.id} (${m.link})`).join(', ')}. Remove it and treat any machine that installed it as compromised.`,
      evidence: malicious.map((m) => m.id).join(', '),
    });
  }
  if (vulnerabilities.length > 0) {
    findings.push({
      rule: 'known-vulnerability',
      severity: 'info',
      file: '',
      line: 0,
      message: `${label} has ${vulnerabilities.length} known vulnerabilit${vulnerabilities.length === 1 ? 'y' : 'ies'} (${vulnerabilities.map(osvLink).join(', ')}). pkg-gate does not gate on vulnerabilities; use dependency-review-action for that.`,
      evidence: vulnerabilities.join(', '),
    });
  }
  return findings;
}

// ---------------------------------------------------------------- per-run lookup with cache

export interface AdvisoryLookupOptions extends HttpDeps {
  /** OSV base URL; `false` turns OSV off (`advisories: off`). */
  osvUrl: string | false;
  /** GitHub API for malware advisories; `false` turns it off. */
  github: GithubAdvisoryOptions | false;
}

export interface AdvisoryLookupResult {
  /** Findings per {@link advisoryKey}; every package asked for has an entry. */
  findings: Map<string, Finding[]>;
  /** One line per source that could not be asked, reported once per run; never gating. */
  warnings: string[];
}

/**
 * One per run: `lookup` asks each source once for every package it has not seen yet and caches
 * the answers, so a second call (or the same package from two manifests) costs no request. A
 * source that failed is not asked again in this run and its warning is returned only once.
 */
export function createAdvisoryLookup(options: AdvisoryLookupOptions) {
  const osvCache = new Map<string, OsvResult>();
  const githubCache = new Map<string, GithubAdvisory[]>();
  const failed = new Set<AdvisorySource>();

  async function ask<T>(
    source: AdvisorySource,
    cache: Map<string, T>,
    packages: AdvisoryPackage[],
    query: (missing: AdvisoryPackage[]) => Promise<Map<string, T>>,
    warnings: string[],
  ): Promise<void> {
    const missing = packages.filter((p) => !cache.has(advisoryKey(p)));
    if (failed.has(source) || missing.length === 0) return;
    try {
      for (const [key, value] of await query(missing)) cache.set(key, value);
    } catch (error) {
      failed.add(source);
      const name = source === 'osv' ? 'OSV' : 'GitHub advisory database';
      warnings.push(
        `${name} could not be reached (${error instanceof Error ? error.message : String(error)}); its known-malicious check was skipped for this run.`,
      );
    }
  }

  return {
    async lookup(packages: readonly AdvisoryPackage[]): Promise<AdvisoryLookupResult> {
      const warnings: string[] = [];
      const unique = [...new Map(packages.map((p) => [advisoryKey(p), p])).values()];
      const { osvUrl, github } = options;
      const http = { fetch: options.fetch, timeoutMs: options.timeoutMs };
      await Promise.all([
        osvUrl === false
          ? undefined
          : ask(
              'osv',
              osvCache,
              unique,
              (missing) => queryOsv(missing, { ...http, osvUrl }),
              warnings,
            ),
        github === false
          ? undefined
          : ask(
              'github',
              githubCache,
              unique,
              (missing) => queryGithubMalware(missing, { ...http, ...github }),
              warnings,
            ),
      ]);
      const findings = new Map<string, Finding[]>();
      for (const pkg of unique) {
        const key = advisoryKey(pkg);
        findings.set(key, advisoryFindings(pkg, osvCache.get(key), githubCache.get(key)));
      }
      return { findings, warnings };
    },
  };
}

export type AdvisoryLookup = ReturnType<typeof createAdvisoryLookup>;
