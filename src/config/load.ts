import { isMap, isScalar, parseDocument } from 'yaml';
import { ruleCatalog } from '../analysis/catalog.js';
import type { ManifestProblem } from '../types.js';
import type { ConfigStatus } from './effective.js';
import { parseConfig } from './parse.js';
import { ConfigError, EMPTY_CONFIG, type ConfigIssue, type PkgGateConfig } from './types.js';

export interface LoadedConfig {
  status: ConfigStatus;
  config: PkgGateConfig;
  /** For `invalid`, why it cannot be used; for `loaded`, warnings. */
  issues: ConfigIssue[];
  /**
   * Whether packages may be downloaded with the inputs and defaults. False for an invalid file
   * that may name private registries (or cannot be read far enough to tell): falling back to the
   * public registries would send internal package names there.
   */
  defaultsAreSafe: boolean;
}

let knownRuleIds: ReadonlySet<string> | undefined;

/** Every rule id the engine can report, to check the ids a config names. */
export function knownRules(): ReadonlySet<string> {
  knownRuleIds ??= new Set(ruleCatalog().map((rule) => rule.id));
  return knownRuleIds;
}

/**
 * Reads and checks the config file through `read` (which returns undefined when the file does
 * not exist). A file that exists but cannot be read or used comes back `invalid` with the
 * reasons and the empty config: the caller fails the run rather than guess.
 */
export async function loadConfig(
  read: (path: string) => Promise<string | undefined>,
  path: string,
): Promise<LoadedConfig> {
  let text: string | undefined;
  try {
    text = await read(path);
  } catch (error) {
    return {
      status: 'invalid',
      config: EMPTY_CONFIG,
      defaultsAreSafe: false,
      issues: [
        {
          key: '',
          message: `could not be read: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  if (text === undefined) {
    return { status: 'absent', config: EMPTY_CONFIG, issues: [], defaultsAreSafe: true };
  }
  return parseLoaded(text, path);
}

/** Parses config text into a LoadedConfig (never throws). */
export function parseLoaded(text: string, path: string): LoadedConfig {
  try {
    const { config, warnings } = parseConfig(text, path, { knownRules: knownRules() });
    return { status: 'loaded', config, issues: warnings, defaultsAreSafe: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      return {
        status: 'invalid',
        config: EMPTY_CONFIG,
        issues: error.issues,
        defaultsAreSafe: !mayNameRegistries(text),
      };
    }
    throw error;
  }
}

/**
 * A config file path as the input (or the CLI's `--config`, named by `setting`) gives it:
 * repository-relative, inside the repository.
 */
export function checkConfigPath(path: string, setting = 'The config-file input'): string {
  const trimmed = path.trim().replace(/^\.\/+/, '');
  if (!trimmed || trimmed.startsWith('/') || trimmed.split('/').includes('..')) {
    throw new Error(
      `${setting} must be a path inside the repository, like .github/pkg-gate.yml (got "${path}").`,
    );
  }
  return trimmed;
}

/** Config issues as report problems, so every channel (annotations, SARIF, JSON) shows them. */
export function issuesAsProblems(path: string, issues: readonly ConfigIssue[]): ManifestProblem[] {
  return issues.map((issue) => ({
    path,
    ...(issue.line ? { line: issue.line } : {}),
    message: issue.key ? `${issue.key}: ${issue.message}` : issue.message,
  }));
}

/** True unless the text is YAML whose top level certainly has no `registries` key. */
function mayNameRegistries(text: string): boolean {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return true;
  const root = doc.contents;
  if (root === null) return false;
  if (!isMap(root)) return true;
  return root.items.some((pair) => !isScalar(pair.key) || String(pair.key.value) === 'registries');
}
