import { describe, expect, it } from '@jest/globals';
import {
  checkConfigPath,
  issuesAsProblems,
  knownRules,
  loadConfig,
} from '../../src/config/load.js';

const PATH = '.github/pkg-gate.yml';
const reader = (text: string | undefined) => async () => text;

describe('loadConfig', () => {
  it('treats a missing file as defaults', async () => {
    expect(await loadConfig(reader(undefined), PATH)).toMatchObject({
      status: 'absent',
      issues: [],
      defaultsAreSafe: true,
    });
  });

  it('loads a valid file, with warnings for unknown rule ids from the real catalog', async () => {
    const loaded = await loadConfig(
      reader(
        'rules:\n  npm-install-script: { severity: low }\n  no-such-rule: { enabled: false }\n',
      ),
      PATH,
    );
    expect(loaded.status).toBe('loaded');
    expect(loaded.config.rules['npm-install-script']).toEqual({ severity: 'low' });
    expect(loaded.issues.map((i) => i.key)).toEqual(['rules.no-such-rule']);
    expect(knownRules().has('py-exec-decoded')).toBe(true);
  });

  it('reports an invalid file with its issues and no config', async () => {
    const loaded = await loadConfig(reader('fail-on: hgih\n'), PATH);
    expect(loaded).toMatchObject({ status: 'invalid', config: { allow: [], rules: {} } });
    expect(loaded.issues[0]).toMatchObject({ key: 'fail-on', line: 1 });
  });

  it('tells whether falling back to the public registries is safe', async () => {
    const safe = await loadConfig(reader('fail-on: hgih\n'), PATH);
    expect(safe.defaultsAreSafe).toBe(true);
    const names = await loadConfig(
      reader('fail-on: hgih\nregistries:\n  npm: https://npm.corp.example\n'),
      PATH,
    );
    expect(names.defaultsAreSafe).toBe(false);
    const unparsable = await loadConfig(reader('registries: [\n'), PATH);
    expect(unparsable.defaultsAreSafe).toBe(false);
  });

  it('fails closed when the file exists but cannot be read', async () => {
    const loaded = await loadConfig(async () => {
      throw new Error('Server Error (HTTP 502)');
    }, PATH);
    expect(loaded).toMatchObject({
      status: 'invalid',
      defaultsAreSafe: false,
      issues: [{ key: '', message: 'could not be read: Server Error (HTTP 502)' }],
    });
  });
});

describe('checkConfigPath', () => {
  it('accepts repository-relative paths only', () => {
    expect(checkConfigPath('./.github/pkg-gate.yml')).toBe('.github/pkg-gate.yml');
    expect(checkConfigPath('config/gate.yaml')).toBe('config/gate.yaml');
    expect(() => checkConfigPath('/etc/passwd')).toThrow(/inside the repository/);
    expect(() => checkConfigPath('../other/pkg-gate.yml')).toThrow(/inside the repository/);
    expect(() => checkConfigPath('  ')).toThrow(/inside the repository/);
  });
});

describe('issuesAsProblems', () => {
  it('keeps the key and line in each problem', () => {
    expect(
      issuesAsProblems(PATH, [
        { key: 'fail-on', line: 1, message: 'must be one of …' },
        { key: '', message: 'could not be read' },
      ]),
    ).toEqual([
      { path: PATH, line: 1, message: 'fail-on: must be one of …' },
      { path: PATH, message: 'could not be read' },
    ]);
  });
});
