import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { SEVERITY_ORDER, type FailOn, type Severity } from '../types.js';
import { parsePackageSpec } from './package-spec.js';
import {
  ConfigError,
  type AllowEntry,
  type CommentMode,
  type ConfigIssue,
  type PkgGateConfig,
  type ReviewEvent,
  type RuleOverride,
} from './types.js';

// A hand-written validator rather than a schema library: the shape is a dozen keys, and what a
// user needs from it (the YAML line of the bad key, "did you mean", rule ids checked against the
// catalog, package specs and dates checked by meaning) is code a schema library would not save.

export const FAIL_ON_VALUES: readonly FailOn[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
  'none',
];
export const COMMENT_MODES: readonly CommentMode[] = ['inline', 'summary', 'off'];
export const REVIEW_EVENTS: readonly ReviewEvent[] = ['COMMENT', 'REQUEST_CHANGES'];
const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITY_ORDER].reverse();

const TOP_LEVEL_KEYS = [
  'fail-on',
  'comment-mode',
  'review-event',
  'rules',
  'allow',
  'ignore-paths',
  'registries',
  'limits',
  'advisories',
  'osv-url',
  'internal-prefixes',
  'established-package',
] as const;
const RULE_KEYS = ['severity', 'enabled'];
const ALLOW_KEYS = ['package', 'rules', 'reason', 'expires'];
const REGISTRY_KEYS = ['npm', 'pypi'];
const LIMIT_KEYS = ['max-package-mb', 'timeout-seconds'];
const ESTABLISHED_KEYS = ['min-age-days', 'min-releases'];

export const ESTABLISHED_BOUNDS = {
  'min-age-days': { min: 0, max: 3650 },
  'min-releases': { min: 0, max: 1000 },
} as const;

export const LIMIT_BOUNDS = {
  'max-package-mb': { min: 1, max: 4096 },
  'timeout-seconds': { min: 1, max: 3600 },
} as const;

export interface ParsedConfig {
  config: PkgGateConfig;
  /** Problems that do not change what the config means, e.g. an unknown rule id. */
  warnings: ConfigIssue[];
}

export interface ParseConfigOptions {
  /** Rule ids the engine knows; an id outside it is a warning with a suggestion. */
  knownRules?: ReadonlySet<string>;
}

type PathSegment = string | number;

/**
 * Reads and checks `.github/pkg-gate.yml`. Throws ConfigError listing every problem with its key
 * and line; never returns a config it had to guess at.
 */
export function parseConfig(
  text: string,
  path: string,
  options: ParseConfigOptions = {},
): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: true,
  });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((error) => ({
        key: '',
        message: `YAML syntax: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        line: error.linePos?.[0]?.line,
      })),
    );
  }
  const checker = new Checker(doc, lineCounter, options);
  const config = checker.check(doc.toJS({ maxAliasCount: 50 }) as unknown);
  if (checker.issues.length > 0) throw new ConfigError(path, checker.issues);
  return { config, warnings: checker.warnings };
}

class Checker {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly options: ParseConfigOptions,
  ) {}

  check(root: unknown): PkgGateConfig {
    const config: PkgGateConfig = {
      rules: {},
      allow: [],
      ignorePaths: [],
      registries: {},
      limits: {},
    };
    if (root === null || root === undefined) return config; // an empty file: all defaults
    if (!isPlainObject(root)) {
      this.fail([], `the file must be a mapping of settings (${TOP_LEVEL_KEYS.join(', ')})`);
      return config;
    }
    this.rejectUnknownKeys(root, [], TOP_LEVEL_KEYS);

    const failOn = this.oneOf(root, ['fail-on'], FAIL_ON_VALUES, (v) => v.toLowerCase());
    if (failOn) config.failOn = failOn;
    const commentMode = this.oneOf(root, ['comment-mode'], COMMENT_MODES, (v) => v.toLowerCase());
    if (commentMode) config.commentMode = commentMode;
    const reviewEvent = this.oneOf(root, ['review-event'], REVIEW_EVENTS, (v) =>
      v.toUpperCase().replace(/[\s-]/g, '_'),
    );
    if (reviewEvent) config.reviewEvent = reviewEvent;

    if (root.rules !== undefined && root.rules !== null) config.rules = this.rules(root.rules);
    if (root.allow !== undefined && root.allow !== null) config.allow = this.allow(root.allow);
    if (root['ignore-paths'] !== undefined && root['ignore-paths'] !== null) {
      config.ignorePaths = this.stringList(root['ignore-paths'], ['ignore-paths'], 'a glob');
    }
    if (root.registries !== undefined && root.registries !== null) {
      config.registries = this.registries(root.registries);
    }
    if (root.limits !== undefined && root.limits !== null) config.limits = this.limits(root.limits);
    // YAML 1.1 readers turn `off` into false; accept both spellings.
    if (root.advisories === false || root.advisories === true) {
      config.advisories = root.advisories ? 'on' : 'off';
    } else {
      const advisories = this.oneOf(root, ['advisories'], ['on', 'off'] as const, (v) =>
        v.toLowerCase(),
      );
      if (advisories) config.advisories = advisories;
    }
    if (root['osv-url'] !== undefined && root['osv-url'] !== null) {
      const url = checkRegistryUrl(root['osv-url']);
      if (typeof url === 'string') config.osvUrl = url;
      else this.fail(['osv-url'], url.error);
    }
    if (root['internal-prefixes'] !== undefined && root['internal-prefixes'] !== null) {
      config.internalPrefixes = this.stringList(
        root['internal-prefixes'],
        ['internal-prefixes'],
        'a package name prefix or npm scope',
      );
    }
    if (root['established-package'] !== undefined && root['established-package'] !== null) {
      config.establishedPackage = this.establishedPackage(root['established-package']);
    }
    return config;
  }

  private establishedPackage(value: unknown): NonNullable<PkgGateConfig['establishedPackage']> {
    const established: NonNullable<PkgGateConfig['establishedPackage']> = {};
    if (!isPlainObject(value)) {
      this.fail(
        ['established-package'],
        'must be a mapping like { min-age-days: 180, min-releases: 3 }',
      );
      return established;
    }
    this.rejectUnknownKeys(value, ['established-package'], ESTABLISHED_KEYS);
    for (const key of ESTABLISHED_KEYS as (keyof typeof ESTABLISHED_BOUNDS)[]) {
      const raw = value[key];
      if (raw === undefined || raw === null) continue;
      const { min, max } = ESTABLISHED_BOUNDS[key];
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
        this.fail(
          ['established-package', key],
          `must be a whole number from ${min} to ${max} (got ${describe(raw)})`,
        );
        continue;
      }
      if (key === 'min-age-days') established.minAgeDays = raw;
      else established.minReleases = raw;
    }
    return established;
  }

  private rules(value: unknown): Record<string, RuleOverride> {
    const rules: Record<string, RuleOverride> = {};
    if (!isPlainObject(value)) {
      this.fail(['rules'], 'must be a mapping of rule id to { severity, enabled }');
      return rules;
    }
    for (const [id, override] of Object.entries(value)) {
      const at = ['rules', id];
      const known = this.options.knownRules;
      if (known && !known.has(id)) {
        this.warn(
          at,
          `unknown rule id${suggestion(id, known)}; this override matches nothing`,
          true,
        );
      }
      if (!isPlainObject(override)) {
        this.fail(at, 'must be a mapping like { severity: low } or { enabled: false }');
        continue;
      }
      this.rejectUnknownKeys(override, at, RULE_KEYS);
      const entry: RuleOverride = {};
      const severity = this.oneOf(override, [...at, 'severity'], SEVERITIES_DESCENDING, (v) =>
        v.toLowerCase(),
      );
      if (severity) entry.severity = severity;
      if (override.enabled !== undefined) {
        if (typeof override.enabled === 'boolean') entry.enabled = override.enabled;
        else
          this.fail(
            [...at, 'enabled'],
            `must be true or false (got ${describe(override.enabled)})`,
          );
      }
      rules[id] = entry;
    }
    return rules;
  }

  private allow(value: unknown): AllowEntry[] {
    const entries: AllowEntry[] = [];
    if (!Array.isArray(value)) {
      this.fail(['allow'], 'must be a list of entries, each with package and reason');
      return entries;
    }
    value.forEach((item, index) => {
      const at: PathSegment[] = ['allow', index];
      if (!isPlainObject(item)) {
        this.fail(at, 'must be a mapping with package, reason and optionally rules and expires');
        return;
      }
      const before = this.issues.length;
      this.rejectUnknownKeys(item, at, ALLOW_KEYS);

      let spec: ReturnType<typeof parsePackageSpec> | undefined;
      if (item.package === undefined || item.package === null) {
        this.fail(at, 'package is required (e.g. package: npm:left-pad@1.3.0)');
      } else if (typeof item.package !== 'string') {
        this.fail(
          [...at, 'package'],
          `must be a string like "npm:left-pad@1.3.0" (got ${describe(item.package)})`,
        );
      } else {
        try {
          spec = parsePackageSpec(item.package);
        } catch (error) {
          this.fail([...at, 'package'], (error as Error).message);
        }
      }

      let reason: string | undefined;
      if (item.reason === undefined || item.reason === null) {
        this.fail(
          at,
          'reason is required: say why this package is trusted (it is shown on the PR)',
        );
      } else if (typeof item.reason !== 'string' || !item.reason.trim()) {
        this.fail([...at, 'reason'], `must be a non-empty text (got ${describe(item.reason)})`);
      } else {
        reason = item.reason.trim();
      }

      let rules: string[] | undefined;
      if (item.rules !== undefined && item.rules !== null) {
        rules = this.stringList(item.rules, [...at, 'rules'], 'a rule id');
        if (rules.length === 0) {
          this.fail(
            [...at, 'rules'],
            'must list at least one rule id (leave it out to allow every rule)',
          );
        }
        const known = this.options.knownRules;
        rules.forEach((rule, i) => {
          if (known && !known.has(rule)) {
            this.warn(
              [...at, 'rules', i],
              `unknown rule id ${JSON.stringify(rule)}${suggestion(rule, known)}`,
            );
          }
        });
      }

      let expires: string | undefined;
      if (item.expires !== undefined && item.expires !== null) {
        expires = this.date(item.expires, [...at, 'expires']);
      }

      if (this.issues.length === before && spec && reason) {
        entries.push({
          package: String(item.package).trim(),
          ecosystem: spec.ecosystem,
          name: spec.name,
          ...(spec.versions !== undefined ? { versions: spec.versions } : {}),
          ...(rules ? { rules } : {}),
          reason,
          ...(expires ? { expires } : {}),
          ...(this.lineOf(at) ? { line: this.lineOf(at) } : {}),
        });
      }
    });
    return entries;
  }

  private registries(value: unknown): PkgGateConfig['registries'] {
    const registries: PkgGateConfig['registries'] = {};
    if (!isPlainObject(value)) {
      this.fail(['registries'], 'must be a mapping with npm and/or pypi URLs');
      return registries;
    }
    this.rejectUnknownKeys(value, ['registries'], REGISTRY_KEYS);
    for (const key of REGISTRY_KEYS as ('npm' | 'pypi')[]) {
      if (value[key] === undefined || value[key] === null) continue;
      const url = checkRegistryUrl(value[key]);
      if (typeof url === 'string') registries[key] = url;
      else this.fail(['registries', key], url.error);
    }
    return registries;
  }

  private limits(value: unknown): PkgGateConfig['limits'] {
    const limits: PkgGateConfig['limits'] = {};
    if (!isPlainObject(value)) {
      this.fail(['limits'], 'must be a mapping like { max-package-mb: 200, timeout-seconds: 300 }');
      return limits;
    }
    this.rejectUnknownKeys(value, ['limits'], LIMIT_KEYS);
    for (const key of LIMIT_KEYS as (keyof typeof LIMIT_BOUNDS)[]) {
      const raw = value[key];
      if (raw === undefined || raw === null) continue;
      const { min, max } = LIMIT_BOUNDS[key];
      if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) {
        this.fail(['limits', key], `must be a number from ${min} to ${max} (got ${describe(raw)})`);
        continue;
      }
      if (key === 'max-package-mb') limits.maxPackageMb = raw;
      else limits.timeoutSeconds = raw;
    }
    return limits;
  }

  private date(value: unknown, at: PathSegment[]): string | undefined {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    const match = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim()) : null;
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      if (
        date.getUTCFullYear() === year &&
        date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day
      ) {
        return match[0];
      }
      this.fail(at, `${JSON.stringify(text)} is not a calendar date`);
      return undefined;
    }
    this.fail(at, `must be a date written YYYY-MM-DD, e.g. 2027-03-31 (got ${describe(value)})`);
    return undefined;
  }

  private stringList(value: unknown, at: PathSegment[], what: string): string[] {
    if (!Array.isArray(value)) {
      this.fail(at, `must be a list, each item ${what} (got ${describe(value)})`);
      return [];
    }
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item === 'string' && item.trim()) out.push(item.trim());
      else this.fail([...at, i], `must be ${what} (got ${describe(item)})`);
    });
    return out;
  }

  private oneOf<T extends string>(
    object: Record<string, unknown>,
    at: PathSegment[],
    allowed: readonly T[],
    normalize: (value: string) => string,
  ): T | undefined {
    const value = object[String(at[at.length - 1])];
    if (value === undefined || value === null) return undefined;
    const normalized = typeof value === 'string' ? normalize(value.trim()) : undefined;
    if (normalized !== undefined && (allowed as readonly string[]).includes(normalized)) {
      return normalized as T;
    }
    this.fail(at, `must be one of ${allowed.join(', ')} (got ${describe(value)})`);
    return undefined;
  }

  private rejectUnknownKeys(
    object: Record<string, unknown>,
    at: PathSegment[],
    allowed: readonly string[],
  ): void {
    for (const key of Object.keys(object)) {
      if (allowed.includes(key)) continue;
      this.fail(
        [...at, key],
        `unknown key${suggestion(key, new Set(allowed))}; allowed here: ${allowed.join(', ')}`,
        true,
      );
    }
  }

  private fail(at: PathSegment[], message: string, keyLine = false): void {
    this.issues.push({ key: dotted(at), message, ...this.lineField(at, keyLine) });
  }

  private warn(at: PathSegment[], message: string, keyLine = false): void {
    this.warnings.push({ key: dotted(at), message, ...this.lineField(at, keyLine) });
  }

  private lineField(at: PathSegment[], keyLine: boolean): { line?: number } {
    const line = this.lineOf(at, keyLine);
    return line ? { line } : {};
  }

  /** The line of the value at `at` (or of its key, for a key that should not be there). */
  lineOf(at: PathSegment[], keyLine = false): number | undefined {
    let offset: number | undefined;
    if (at.length === 0) {
      offset = this.doc.contents?.range?.[0];
    } else {
      const parent = at.length === 1 ? this.doc.contents : this.doc.getIn(at.slice(0, -1), true);
      const last = at[at.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(last),
        );
        const node = keyLine || !pair?.value ? pair?.key : pair.value;
        offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
      } else if (isSeq(parent) && typeof last === 'number') {
        offset = (parent.items[last] as { range?: [number, number, number] } | undefined)
          ?.range?.[0];
      }
    }
    return offset === undefined ? undefined : this.lineCounter.linePos(offset).line;
  }
}

/** An http(s) registry URL without credentials (auth comes from the environment), or why not. */
export function checkRegistryUrl(value: unknown): string | { error: string } {
  if (typeof value !== 'string')
    return { error: `must be an http(s) URL (got ${describe(value)})` };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { error: `${JSON.stringify(value)} is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: `must be an http(s) URL (got ${JSON.stringify(value)})` };
  }
  if (url.username || url.password) {
    return {
      error:
        'must not contain credentials: the config file is readable by everyone with access to the repository; pass registry auth through environment variables (PKG_GATE_NPM_TOKEN)',
    };
  }
  if (url.search || url.hash) return { error: 'must not have a query or fragment' };
  return url.toString().replace(/\/+$/, '');
}

function dotted(at: PathSegment[]): string {
  return at
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

/** ` (did you mean "npm-install-script"?)` when a known name is a few edits away. */
function suggestion(name: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 4));
  return best !== undefined && bestDistance <= tolerance ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
