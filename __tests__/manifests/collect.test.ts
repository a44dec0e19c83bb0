import { describe, expect, it } from '@jest/globals';
import {
  collectDependencyChanges,
  type DependencyFileRef,
  type SideReader,
} from '../../src/manifests/collect.js';
import { fixture, lineOf } from './fixtures.js';

const registries = { npmRegistry: 'https://registry.npmjs.org', pypiUrl: 'https://pypi.org' };

function reader(
  base: Record<string, string>,
  head: Record<string, string>,
): SideReader & {
  reads: string[];
} {
  const reads: string[] = [];
  return {
    reads,
    readFile: async (path, side) => {
      reads.push(`${side}:${path}`);
      return (side === 'base' ? base : head)[path];
    },
  };
}

const modified = (path: string, format: DependencyFileRef['format']): DependencyFileRef => ({
  path,
  status: 'modified',
  format,
});

describe('collectDependencyChanges: requirements includes', () => {
  it('follows -r and -c relative to the including file, on the same side, with their own lines', async () => {
    const files = reader(
      {
        'py/requirements.txt': '-r base.txt\nrequests==2.31.0\n',
        'py/base.txt': 'six==1.16.0\n',
      },
      {
        'py/requirements.txt': '-r base.txt\n-c ../constraints/pins.txt\nrequests==2.31.0\n',
        'py/base.txt': 'six==1.16.0\nevil-pkg==1.0.0\n',
        'constraints/pins.txt': 'urllib3==2.2.1\n',
      },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('py/requirements.txt', 'requirements')],
      { registries },
    );
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => [c.change.change, c.change.name, c.change.manifest])).toEqual([
      ['added', 'urllib3', { path: 'constraints/pins.txt', line: 1 }],
      ['added', 'evil-pkg', { path: 'py/base.txt', line: 2 }],
    ]);
    expect(files.reads).toEqual(
      expect.arrayContaining(['base:py/base.txt', 'head:py/base.txt', 'head:constraints/pins.txt']),
    );
    expect(files.reads).not.toContain('base:constraints/pins.txt');
    expect(result.manifests).toEqual([
      { path: 'py/requirements.txt', format: 'requirements', changes: 0 },
      { path: 'py/base.txt', format: 'requirements', changes: 1 },
      { path: 'constraints/pins.txt', format: 'requirements', changes: 1 },
    ]);
  });

  it('scans a package once when the included file is itself a changed dependency file', async () => {
    const files = reader(
      { 'requirements-dev.txt': '-r requirements.txt\n', 'requirements.txt': 'a==1.0\n' },
      { 'requirements-dev.txt': '-r requirements.txt\n', 'requirements.txt': 'a==2.0\n' },
    );
    const result = await collectDependencyChanges(
      files,
      [
        modified('requirements-dev.txt', 'requirements'),
        modified('requirements.txt', 'requirements'),
      ],
      { registries },
    );
    expect(result.changes.map((c) => `${c.change.name} ${c.change.manifest.path}`)).toEqual([
      'a requirements.txt',
    ]);
  });

  it('stops at include cycles and reports a missing include as a problem on the including line', async () => {
    const files = reader(
      { 'requirements.txt': 'a==1\n' },
      {
        'requirements.txt': 'a==1\n-r more.txt\n-r missing.txt\n',
        'more.txt': '-r requirements.txt\nb==1\n',
      },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements')],
      { registries },
    );
    expect(result.changes.map((c) => c.change.name)).toEqual(['b']);
    expect(result.problems).toEqual([
      {
        path: 'requirements.txt',
        line: 3,
        message: 'requirements.txt includes missing.txt, which could not be read on the head side',
      },
    ]);
  });

  it('reports a new include from a URL or outside the repository as a high finding', async () => {
    const files = reader(
      { 'requirements.txt': '-r https://old.example/r.txt\n' },
      {
        'requirements.txt':
          '-r https://old.example/r.txt\n-r https://evil.example/r.txt\n-c ../../outside.txt\n',
      },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements')],
      { registries },
    );
    expect(result.fileFindings.map((f) => [f.rule, f.severity, f.line, f.evidence])).toEqual([
      ['requirements-remote-include', 'high', 2, 'https://evil.example/r.txt'],
      ['requirements-remote-include', 'high', 3, '../../outside.txt'],
    ]);
  });

  it('reports a parse error in an included file against that file', async () => {
    const files = reader(
      { 'requirements.txt': 'a==1\n' },
      { 'requirements.txt': 'a==1\n-r bad.txt\n', 'bad.txt': 'ok==1\n--bogus\n' },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements')],
      { registries },
    );
    expect(result.problems).toEqual([expect.objectContaining({ path: 'bad.txt', line: 2 })]);
  });
});

describe('collectDependencyChanges: findings in dependency files', () => {
  it('reports a new extra index in an included file and a new scoped registry in .npmrc', async () => {
    const files = reader(
      { 'requirements.txt': '-r base.txt\n', 'base.txt': 'a==1\n', '.npmrc': 'save-exact=true\n' },
      {
        'requirements.txt': '-r base.txt\n',
        'base.txt': '--extra-index-url https://pypi.evil.example/simple\na==1\n',
        '.npmrc': 'save-exact=true\n@acme:registry=https://npm.evil.example/\n',
      },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements'), modified('.npmrc', 'npmrc')],
      { registries },
    );
    expect(result.fileFindings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['new-package-index', 'base.txt', 1],
      ['new-package-index', '.npmrc', 2],
    ]);
    expect(result.manifests).toContainEqual({ path: '.npmrc', format: 'npmrc', changes: 0 });
  });

  it('flags a git dependency and does not mark it for fetching from the registry', async () => {
    const files = reader(
      { 'requirements.txt': 'a==1\n' },
      { 'requirements.txt': 'a==1\ntool @ git+https://github.com/o/tool@v1\n' },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements')],
      { registries },
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        fromRegistry: false,
        findings: [expect.objectContaining({ rule: 'dependency-bypasses-registry', line: 2 })],
      }),
    ]);
  });

  it('flags lockfile-only additions, names what brought transitive packages in', async () => {
    const base = fixture('npm/package-lock.v3.base.json');
    const head = fixture('npm/package-lock.v3.head.json');
    const manifest = (deps: string) => `{\n  "name": "app",\n  "dependencies": {${deps}}\n}\n`;

    const alone = await collectDependencyChanges(
      reader({ 'package-lock.json': base }, { 'package-lock.json': head }),
      [modified('package-lock.json', 'package-lock')],
      { registries },
    );
    const chalk = alone.changes.find((c) => c.change.name === 'chalk')!;
    expect(chalk.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
      ['lockfile-only-addition', 'medium', lineOf(head, '"node_modules/chalk"')],
    ]);
    // chalk's own dependencies are explained by chalk being added.
    const colorName = alone.changes.find((c) => c.change.name === 'color-name')!;
    expect(colorName.findings).toEqual([]);
    expect(colorName.change.via).toEqual(['chalk']);
    expect(chalk.change.via).toBeUndefined();

    const withManifest = await collectDependencyChanges(
      reader(
        { 'package-lock.json': base, 'package.json': manifest('"left-pad": "^1.0.0"') },
        {
          'package-lock.json': head,
          'package.json': manifest('"left-pad": "^1.0.0", "chalk": "^4.1.2"'),
        },
      ),
      [modified('package.json', 'package-json'), modified('package-lock.json', 'package-lock')],
      { registries },
    );
    expect(withManifest.changes.flatMap((c) => c.findings)).toEqual([]);
  });
});

describe('collectDependencyChanges: requirements files included under other names', () => {
  const changed = (path: string, status = 'modified') => ({ path, status });

  it('scans a changed deps/base.txt that an unchanged requirements.txt includes, on its own lines', async () => {
    const files = reader(
      { 'requirements.txt': '-r deps/base.txt\nflask==3.0.0\n', 'deps/base.txt': 'six==1.16.0\n' },
      {
        'requirements.txt': '-r deps/base.txt\nflask==3.0.0\n',
        'deps/base.txt': 'six==1.16.0\n# pinned for the payload\nevil-pkg==1.0.0\n',
      },
    );
    const source = Object.assign(files, {
      listChangedFiles: async () => [changed('deps/base.txt'), changed('docs/notes.txt')],
    });
    // What a run passes: discovery by name found nothing in this PR.
    const result = await collectDependencyChanges(source, [], { registries });
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => [c.change.change, c.change.name, c.change.manifest])).toEqual([
      ['added', 'evil-pkg', { path: 'deps/base.txt', line: 3 }],
    ]);
    expect(result.manifests).toEqual([
      { path: 'deps/base.txt', format: 'requirements', changes: 1 },
    ]);
    // docs/notes.txt is included by nothing: looked for, never parsed as requirements.
    expect(files.reads.filter((r) => r.endsWith('notes.txt'))).toEqual([]);
  });

  it('follows a chain through unchanged files, on both sides', async () => {
    const unchanged = {
      'py/requirements.in': '-r requirements/prod.txt\n',
      'py/requirements/prod.txt': '-c ../pins/all.pins.txt\nrequests\n',
    };
    const files = reader(
      { ...unchanged, 'py/pins/all.pins.txt': 'urllib3==2.2.0\n' },
      { ...unchanged, 'py/pins/all.pins.txt': 'urllib3==2.2.1\n' },
    );
    const result = await collectDependencyChanges(files, [], {
      registries,
      changedFiles: [changed('py/pins/all.pins.txt')],
    });
    expect(result.changes.map((c) => [c.change.change, c.change.name, c.change.from])).toEqual([
      ['bumped', 'urllib3', '2.2.0'],
    ]);
    expect(result.changes[0].change.manifest).toEqual({ path: 'py/pins/all.pins.txt', line: 1 });
  });

  it('finds a file included only at base (its include removed in a changed file under another name)', async () => {
    const files = reader(
      {
        'requirements.txt': '-r deps/a.txt\n',
        'deps/a.txt': 'a==1\n-r old.txt\n',
        'deps/old.txt': 'gone==1\n',
      },
      { 'requirements.txt': '-r deps/a.txt\n', 'deps/a.txt': 'a==1\n' },
    );
    const result = await collectDependencyChanges(files, [], {
      registries,
      changedFiles: [changed('deps/a.txt'), changed('deps/old.txt', 'removed')],
    });
    expect(
      result.changes.map((c) => `${c.change.change} ${c.change.name} ${c.change.manifest.path}`),
    ).toEqual(['removed gone deps/old.txt']);
    expect(result.manifests.map((m) => m.path).sort()).toEqual(['deps/a.txt', 'deps/old.txt']);
  });

  it('leaves a file reached from a changed requirements file to that file, scanned once', async () => {
    const files = reader(
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==1\n' },
      { 'requirements.txt': '-r deps/base.txt\nb==1\n', 'deps/base.txt': 'a==2\n' },
    );
    const result = await collectDependencyChanges(
      files,
      [modified('requirements.txt', 'requirements')],
      { registries, changedFiles: [changed('requirements.txt'), changed('deps/base.txt')] },
    );
    expect(result.changes.map((c) => `${c.change.name} ${c.change.manifest.path}`)).toEqual([
      'a deps/base.txt',
      'b requirements.txt',
    ]);
    expect(result.manifests.map((m) => m.path)).toEqual(['requirements.txt', 'deps/base.txt']);
  });

  it('reports a parse error in an included file found this way, against that file', async () => {
    const files = reader(
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==1\n' },
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==1\n--bogus\n' },
    );
    const result = await collectDependencyChanges(files, [], {
      registries,
      changedFiles: [changed('deps/base.txt')],
    });
    expect(result.problems).toEqual([expect.objectContaining({ path: 'deps/base.txt', line: 2 })]);
  });

  it('fails closed when the changed files cannot be listed', async () => {
    const source = Object.assign(reader({}, {}), {
      listChangedFiles: async (): Promise<never> => {
        throw new Error('API rate limit');
      },
    });
    const result = await collectDependencyChanges(source, [], { registries });
    expect(result.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('API rate limit') }),
    ]);
  });
});

describe('collectDependencyChanges: includers anywhere, from the base listing', () => {
  const changed = (path: string, status = 'modified') => ({ path, status });
  // services/api/requirements-prod.txt pulls in a shared file from another corner of the repo.
  const unchanged = {
    'services/api/requirements-prod.txt': '-r ../../shared/deps.txt\nflask==3.0.0\n',
    'services/api/app.py': 'print("hi")\n',
    'docs/requirements-docs.txt': 'sphinx==7.3.7\n',
  };
  const sides = () =>
    reader(
      { ...unchanged, 'shared/deps.txt': 'six==1.16.0\n' },
      { ...unchanged, 'shared/deps.txt': 'six==1.16.0\nevil-pkg==1.0.0\n' },
    );
  const listing = [...Object.keys(unchanged), 'shared/deps.txt', 'README.md'];

  it('finds an unchanged requirements file anywhere that includes the changed file', async () => {
    const files = sides();
    let listings = 0;
    const source = Object.assign(files, {
      listBaseFiles: async () => {
        listings++;
        return listing;
      },
    });
    const result = await collectDependencyChanges(source, [], {
      registries,
      changedFiles: [changed('shared/deps.txt')],
    });
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => [c.change.change, c.change.name, c.change.manifest])).toEqual([
      ['added', 'evil-pkg', { path: 'shared/deps.txt', line: 2 }],
    ]);
    expect(result.manifests).toEqual([
      { path: 'shared/deps.txt', format: 'requirements', changes: 1 },
    ]);
    expect(listings).toBe(1);
    // Only files that exist and are named like requirements are read to look: no probing.
    const looked = files.reads.filter((r) => !r.endsWith('shared/deps.txt'));
    expect([...new Set(looked)].sort()).toEqual([
      'head:docs/requirements-docs.txt',
      'head:services/api/requirements-prod.txt',
    ]);
  });

  it('without a listing only the conventional places above are probed, which miss it', async () => {
    const files = sides();
    const result = await collectDependencyChanges(files, [], {
      registries,
      changedFiles: [changed('shared/deps.txt')],
    });
    expect(result.changes).toEqual([]);
    expect(files.reads).toContain('head:shared/requirements.txt');
  });

  it('falls back to probing when the listing is incomplete (a truncated tree)', async () => {
    const files = reader(
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==1\n' },
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==2\n' },
    );
    const source = Object.assign(files, { listBaseFiles: async () => undefined });
    const result = await collectDependencyChanges(source, [], {
      registries,
      changedFiles: [changed('deps/base.txt')],
    });
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => `${c.change.change} ${c.change.name}`)).toEqual(['bumped a']);
    expect(files.reads).toContain('head:deps/requirements.txt'); // probed, absent
  });

  it('fails closed when the listing fails, and still probes the conventional places', async () => {
    const files = reader(
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==1\n' },
      { 'requirements.txt': '-r deps/base.txt\n', 'deps/base.txt': 'a==2\n' },
    );
    const source = Object.assign(files, {
      listBaseFiles: async (): Promise<never> => {
        throw new Error('API rate limit exceeded');
      },
    });
    const result = await collectDependencyChanges(source, [], {
      registries,
      changedFiles: [changed('deps/base.txt')],
    });
    expect(result.problems).toEqual([
      expect.objectContaining({
        path: 'deps/base.txt',
        message: expect.stringContaining('could not be listed'),
      }),
    ]);
    expect(result.problems[0].message).toContain('API rate limit exceeded');
    expect(result.changes.map((c) => `${c.change.change} ${c.change.name}`)).toEqual(['bumped a']);
  });

  it('fails closed when a listed requirements file cannot be read', async () => {
    const files = sides();
    const source = Object.assign(files, {
      listBaseFiles: async () => listing,
      readFile: async (path: string): Promise<string | undefined> => {
        if (path === 'services/api/requirements-prod.txt') throw new Error('HTTP 502');
        return (unchanged as Record<string, string>)[path];
      },
    });
    const result = await collectDependencyChanges(source, [], {
      registries,
      changedFiles: [changed('shared/deps.txt')],
    });
    expect(result.problems).toEqual([
      expect.objectContaining({
        path: 'services/api/requirements-prod.txt',
        message: expect.stringContaining('HTTP 502'),
      }),
    ]);
  });

  it('never lists the repository for a change without candidate text files', async () => {
    let listings = 0;
    const source = Object.assign(reader({}, {}), {
      listBaseFiles: async () => {
        listings++;
        return [];
      },
    });
    await collectDependencyChanges(source, [], { registries, changedFiles: [changed('a.py')] });
    expect(listings).toBe(0);
  });
});

describe('collectDependencyChanges: via for poetry.lock and pdm.lock', () => {
  const pyproject = fixture('python/pyproject.head.toml');
  const viaOf = (result: Awaited<ReturnType<typeof collectDependencyChanges>>) =>
    Object.fromEntries(result.changes.map((c) => [c.change.name, c.change.via]));

  it.each<[string, 'poetry-lock' | 'pdm-lock', string]>([
    ['poetry.lock', 'poetry-lock', 'poetry'],
    ['pdm.lock', 'pdm-lock', 'pdm'],
  ])('%s takes its roots from the pyproject.toml beside it', async (name, format, stem) => {
    const base = fixture(`python/${stem}.base.lock`);
    const head = fixture(`python/${stem}.head.lock`);
    const other = '[project]\nname = "other"\ndependencies = ["urllib3"]\n';
    const files = reader(
      { [`svc/${name}`]: base, 'svc/pyproject.toml': pyproject, 'pyproject.toml': other },
      { [`svc/${name}`]: head, 'svc/pyproject.toml': pyproject, 'pyproject.toml': other },
    );
    const result = await collectDependencyChanges(files, [modified(`svc/${name}`, format)], {
      registries,
    });
    const via = viaOf(result);
    expect(via.certifi).toEqual(['requests']);
    expect(via.urllib3).toEqual(['requests']);
    expect(via['evil-pkg']).toBeUndefined(); // declared by the project itself
    expect(files.reads).toContain('head:svc/pyproject.toml');
    expect(files.reads).not.toContain('head:pyproject.toml');
  });

  it('leaves via out when no pyproject.toml is beside the lockfile, or it is not TOML', async () => {
    const base = fixture('python/poetry.base.lock');
    const head = fixture('python/poetry.head.lock');
    for (const beside of [undefined, '[project\n']) {
      const headFiles: Record<string, string> = { 'poetry.lock': head };
      if (beside !== undefined) headFiles['pyproject.toml'] = beside;
      const result = await collectDependencyChanges(
        reader({ 'poetry.lock': base }, headFiles),
        [modified('poetry.lock', 'poetry-lock')],
        { registries },
      );
      expect(result.problems).toEqual([]);
      expect(viaOf(result).certifi).toBeUndefined();
    }
  });
});

describe('collectDependencyChanges: via for yarn.lock v1 and package-lock.json v1', () => {
  const viaOf = (result: Awaited<ReturnType<typeof collectDependencyChanges>>) =>
    Object.fromEntries(result.changes.map((c) => [c.change.name, c.change.via]));
  const LOCKS: [string, 'yarn-lock' | 'package-lock', string][] = [
    ['yarn.lock', 'yarn-lock', 'yarn/classic'],
    ['package-lock.json', 'package-lock', 'npm/package-lock.v1'],
  ];

  it.each<[string, 'yarn-lock' | 'package-lock', string]>(LOCKS)(
    '%s takes its roots from the package.json beside it',
    async (name, format, stem) => {
      const other = JSON.stringify({ dependencies: { 'supports-color': '^7.1.0' } });
      const files = reader(
        {
          [`web/${name}`]: fixture(`${stem}.base.${format === 'yarn-lock' ? 'lock' : 'json'}`),
          'web/package.json': fixture('npm/package.base.json'),
          'package.json': other,
        },
        {
          [`web/${name}`]: fixture(`${stem}.head.${format === 'yarn-lock' ? 'lock' : 'json'}`),
          'web/package.json': fixture('npm/package.head.json'),
          'package.json': other,
        },
      );
      const result = await collectDependencyChanges(files, [modified(`web/${name}`, format)], {
        registries,
      });
      const via = viaOf(result);
      expect(via['color-name']).toEqual(['chalk']);
      expect(via['has-flag']).toEqual(['chalk']);
      expect(via.chalk).toBeUndefined(); // asked for by the project itself
      expect(files.reads).toContain('head:web/package.json');
      expect(files.reads).not.toContain('head:package.json');
    },
  );

  it.each<[string, 'yarn-lock' | 'package-lock', string]>(LOCKS)(
    '%s: a missing or broken package.json leaves via out',
    async (name, format, stem) => {
      const ext = format === 'yarn-lock' ? 'lock' : 'json';
      for (const beside of [undefined, '{"dependencies": ', '["chalk"]']) {
        const head: Record<string, string> = { [name]: fixture(`${stem}.head.${ext}`) };
        if (beside !== undefined) head['package.json'] = beside;
        const result = await collectDependencyChanges(
          reader({ [name]: fixture(`${stem}.base.${ext}`) }, head),
          [modified(name, format)],
          { registries },
        );
        expect(result.problems).toEqual([]);
        expect(viaOf(result)['color-name']).toBeUndefined();
      }
    },
  );

  describe('Yarn 1 workspaces', () => {
    const json = (value: unknown) => JSON.stringify(value);
    const unchanged = {
      'package.json': json({
        private: true,
        workspaces: ['packages/*', './tools/cli/', '!packages/ignored'],
      }),
      'packages/web/package.json': json({ dependencies: { chalk: '4.1.2' } }),
      'packages/ignored/package.json': json({ dependencies: { 'supports-color': '^7.1.0' } }),
      'tools/cli/package.json': json({ devDependencies: { 'color-convert': '^2.0.1' } }),
    };
    const sides = () =>
      reader(
        { ...unchanged, 'yarn.lock': fixture('yarn/classic.base.lock') },
        {
          ...unchanged,
          'yarn.lock': fixture('yarn/classic.head.lock'),
          'packages/new/package.json': json({ dependencies: { 'ansi-styles': '^4.1.0' } }),
        },
      );
    const changedFiles = [
      { path: 'yarn.lock', status: 'modified' },
      { path: 'packages/new/package.json', status: 'added' },
    ];

    it("adds the roots of every workspace the patterns name, the PR's new ones included", async () => {
      const source = Object.assign(sides(), {
        listBaseFiles: async () => [
          ...Object.keys(unchanged),
          'yarn.lock',
          'node_modules/chalk/package.json',
        ],
      });
      const result = await collectDependencyChanges(source, [modified('yarn.lock', 'yarn-lock')], {
        registries,
        changedFiles,
      });
      const via = viaOf(result);
      expect(via['has-flag']).toEqual(['chalk']); // packages/web; packages/ignored is excluded
      expect(via['supports-color']).toEqual(['chalk']);
      expect(via['color-name']).toEqual(['color-convert']); // tools/cli, named literally
      expect(via['ansi-styles']).toBeUndefined(); // packages/new, added by this PR
    });

    it('knows only the literal workspaces when the repository cannot be listed', async () => {
      const result = await collectDependencyChanges(sides(), [modified('yarn.lock', 'yarn-lock')], {
        registries,
        changedFiles,
      });
      const via = viaOf(result);
      expect(via['color-name']).toEqual(['color-convert']);
      expect(via['has-flag']).toBeUndefined();
      expect(result.problems).toEqual([]);
    });
  });
});
