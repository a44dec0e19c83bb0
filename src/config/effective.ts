import { DEFAULT_MAX_DOWNLOAD_BYTES, DEFAULT_TIMEOUT_MS } from '../registry/config.js';
import type { FailOn } from '../types.js';
import { checkRegistryUrl, COMMENT_MODES, FAIL_ON_VALUES, REVIEW_EVENTS } from './parse.js';
import type {
  AllowEntry,
  CommentMode,
  ConfigIssue,
  PkgGateConfig,
  ReviewEvent,
  RuleOverride,
} from './types.js';

/** Where a setting's value came from; inputs override the file, the file overrides defaults. */
export type SettingSource = 'input' | 'config' | 'default';

export interface Setting<T> {
  value: T;
  source: SettingSource;
}

/**
 * How the config file fared: `absent` (none on the base side: defaults apply), `loaded`, or
 * `invalid` (defaults and inputs apply, and the run fails closed).
 */
export type ConfigStatus = 'absent' | 'loaded' | 'invalid';

/** Everything the run decided, with the origin of each value, for the job summary. */
export interface EffectiveSettings {
  configPath: string;
  configStatus: ConfigStatus;
  /** The commit the config was read at (the merge base), when it was read. */
  configRef?: string;
  /** True when the PR itself changes the config file (which then takes effect only after merge). */
  configChangedInPr: boolean;
  /** Problems of a config that could not be used, and warnings of one that could. */
  configIssues: ConfigIssue[];
  failOn: Setting<FailOn>;
  commentMode: Setting<CommentMode>;
  reviewEvent: Setting<ReviewEvent>;
  npmRegistry: Setting<string>;
  pypiUrl: Setting<string>;
  maxPackageMb: Setting<number>;
  timeoutSeconds: Setting<number>;
  ignorePaths: string[];
  rules: Record<string, RuleOverride>;
  allow: AllowEntry[];
}

/** Raw action inputs; an empty string means "not set". */
export interface SettingInputs {
  failOn?: string;
  commentMode?: string;
  reviewEvent?: string;
  npmRegistry?: string;
  pypiUrl?: string;
}

export const DEFAULTS = {
  failOn: 'high' as FailOn,
  commentMode: 'inline' as CommentMode,
  reviewEvent: 'COMMENT' as ReviewEvent,
  npmRegistry: 'https://registry.npmjs.org',
  pypiUrl: 'https://pypi.org',
  maxPackageMb: DEFAULT_MAX_DOWNLOAD_BYTES / (1024 * 1024),
  timeoutSeconds: DEFAULT_TIMEOUT_MS / 1000,
};

export interface ConfigState {
  path: string;
  status: ConfigStatus;
  ref?: string;
  changedInPr?: boolean;
  issues?: ConfigIssue[];
}

/** How error messages name an input: `The fail-on input` (action), `--fail-on` (CLI). */
export type InputName = (name: string) => string;

const actionInputName: InputName = (name) => `The ${name} input`;

/**
 * Merges inputs, the config file and the defaults. Throws an Error naming the input when an
 * input value is not valid (a bad input is the workflow's mistake, and must not pass silently).
 */
export function resolveSettings(
  inputs: SettingInputs,
  config: PkgGateConfig,
  state: ConfigState,
  inputName: InputName = actionInputName,
): EffectiveSettings {
  const failOn = pick(
    parseInput(inputs.failOn, inputName('fail-on'), FAIL_ON_VALUES, (v) => v.toLowerCase()),
    config.failOn,
    DEFAULTS.failOn,
  );
  const commentMode = pick(
    parseInput(inputs.commentMode, inputName('comment-mode'), COMMENT_MODES, (v) =>
      v.toLowerCase(),
    ),
    config.commentMode,
    DEFAULTS.commentMode,
  );
  const reviewEvent = pick(
    parseInput(inputs.reviewEvent, inputName('review-event'), REVIEW_EVENTS, (v) =>
      v.toUpperCase().replace(/[\s-]/g, '_'),
    ),
    config.reviewEvent,
    DEFAULTS.reviewEvent,
  );
  return {
    configPath: state.path,
    configStatus: state.status,
    ...(state.ref ? { configRef: state.ref } : {}),
    configChangedInPr: state.changedInPr ?? false,
    configIssues: state.issues ?? [],
    failOn,
    commentMode,
    reviewEvent,
    npmRegistry: pick(
      urlInput(inputs.npmRegistry, inputName('npm-registry')),
      config.registries.npm,
      DEFAULTS.npmRegistry,
    ),
    pypiUrl: pick(
      urlInput(inputs.pypiUrl, inputName('pypi-url')),
      config.registries.pypi,
      DEFAULTS.pypiUrl,
    ),
    maxPackageMb: pick(undefined, config.limits.maxPackageMb, DEFAULTS.maxPackageMb),
    timeoutSeconds: pick(undefined, config.limits.timeoutSeconds, DEFAULTS.timeoutSeconds),
    ignorePaths: config.ignorePaths,
    rules: config.rules,
    allow: config.allow,
  };
}

function pick<T>(input: T | undefined, fromConfig: T | undefined, fallback: T): Setting<T> {
  if (input !== undefined) return { value: input, source: 'input' };
  if (fromConfig !== undefined) return { value: fromConfig, source: 'config' };
  return { value: fallback, source: 'default' };
}

function parseInput<T extends string>(
  raw: string | undefined,
  name: string,
  allowed: readonly T[],
  normalize: (value: string) => string,
): T | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  const value = normalize(trimmed);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} must be one of ${allowed.join(', ')} (got "${trimmed}").`);
}

function urlInput(raw: string | undefined, name: string): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
  const checked = checkRegistryUrl(trimmed);
  if (typeof checked === 'string') return checked;
  throw new Error(`${name} ${checked.error}.`);
}
