import { describe, expect, it } from '@jest/globals';
import { DEFAULTS, resolveSettings } from '../../src/config/effective.js';
import { partitionIgnored } from '../../src/config/ignore.js';
import { parseConfig } from '../../src/config/parse.js';
import { EMPTY_CONFIG } from '../../src/config/types.js';

const state = { path: '.github/pkg-gate.yml', status: 'loaded' as const };

describe('resolveSettings', () => {
  it('takes inputs over the file over the defaults, and says where each came from', () => {
    const { config } = parseConfig(
      'fail-on: medium\ncomment-mode: summary\nregistries: { npm: https://npm.example.com/ }\nlimits: { timeout-seconds: 90 }\n',
      state.path,
    );
    const settings = resolveSettings(
      { failOn: 'critical', commentMode: '', pypiUrl: 'https://pypi.example.org/' },
      config,
      state,
    );
    expect(settings.failOn).toEqual({ value: 'critical', source: 'input' });
    expect(settings.commentMode).toEqual({ value: 'summary', source: 'config' });
    expect(settings.reviewEvent).toEqual({ value: 'COMMENT', source: 'default' });
    expect(settings.npmRegistry).toEqual({ value: 'https://npm.example.com', source: 'config' });
    expect(settings.pypiUrl).toEqual({ value: 'https://pypi.example.org', source: 'input' });
    expect(settings.timeoutSeconds).toEqual({ value: 90, source: 'config' });
    expect(settings.maxPackageMb).toEqual({ value: DEFAULTS.maxPackageMb, source: 'default' });
  });

  it('uses the documented defaults without inputs or file', () => {
    const settings = resolveSettings({}, EMPTY_CONFIG, { path: state.path, status: 'absent' });
    expect([settings.failOn.value, settings.commentMode.value, settings.reviewEvent.value]).toEqual(
      ['high', 'inline', 'COMMENT'],
    );
    expect([settings.npmRegistry.value, settings.pypiUrl.value]).toEqual([
      'https://registry.npmjs.org',
      'https://pypi.org',
    ]);
    expect(settings.configStatus).toBe('absent');
  });

  it('rejects bad input values with the input name', () => {
    expect(() => resolveSettings({ failOn: 'hgih' }, EMPTY_CONFIG, state)).toThrow(
      'The fail-on input must be one of critical, high, medium, low, info, none (got "hgih").',
    );
    expect(() => resolveSettings({ reviewEvent: 'APPROVE' }, EMPTY_CONFIG, state)).toThrow(
      /review-event input must be one of COMMENT, REQUEST_CHANGES/,
    );
    expect(() =>
      resolveSettings({ npmRegistry: 'registry.npmjs.org' }, EMPTY_CONFIG, state),
    ).toThrow(/npm-registry input/);
  });

  it('accepts review-event spelled in lower case or with a dash', () => {
    expect(
      resolveSettings({ reviewEvent: 'request-changes' }, EMPTY_CONFIG, state).reviewEvent.value,
    ).toBe('REQUEST_CHANGES');
  });
});

describe('partitionIgnored', () => {
  const files = [
    { path: 'examples/demo/package-lock.json' },
    { path: 'examples/.npmrc' },
    { path: 'package-lock.json' },
    { path: 'app/requirements.txt', previousPath: 'examples/requirements.txt' },
  ];

  it('skips files matching any glob, dotfiles included', () => {
    const { kept, ignored } = partitionIgnored(files, ['examples/**']);
    expect(ignored.map((f) => f.path)).toEqual([
      'examples/demo/package-lock.json',
      'examples/.npmrc',
    ]);
    expect(kept.map((f) => f.path)).toEqual(['package-lock.json', 'app/requirements.txt']);
  });

  it('does not let a rename out of (or into) an ignored folder hide a file', () => {
    const renamed = [{ path: 'examples/requirements.txt', previousPath: 'requirements.txt' }];
    expect(partitionIgnored(renamed, ['examples/**']).kept).toHaveLength(1);
  });

  it('keeps everything without globs', () => {
    expect(partitionIgnored(files, []).kept).toHaveLength(4);
  });
});
