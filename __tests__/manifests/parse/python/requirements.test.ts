import { describe, expect, it } from '@jest/globals';
import { ManifestParseError } from '../../../../src/manifests/parse/errors.js';
import {
  nameFromUrlOrPath,
  normalizePythonName,
  parseRequirements,
  parseRequirementsFile,
  requirementIncludes,
  resolveIncludePath,
} from '../../../../src/manifests/parse/python/requirements.js';
import { fixture, lineOf } from '../../fixtures.js';

function parseError(content: string): ManifestParseError {
  try {
    parseRequirements(content);
  } catch (error) {
    if (error instanceof ManifestParseError) return error;
    throw error;
  }
  throw new Error('expected a ManifestParseError');
}

describe('parseRequirements', () => {
  const content = fixture('python/requirements.base.txt');
  const packages = parseRequirements(content);
  const byName = (name: string) => packages.find((pkg) => pkg.name === name);

  it('numbers a continued requirement by its first line and collects its hashes', () => {
    expect(byName('certifi')).toEqual({
      ecosystem: 'pypi',
      name: 'certifi',
      version: '2024.2.2',
      line: lineOf(content, 'certifi=='),
      hashes: [
        'sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f',
        'sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1',
      ],
    });
    // The line after a three-line continuation and a comment keeps its own number.
    expect(byName('charset-normalizer')?.line).toBe(lineOf(content, 'charset-normalizer=='));
    expect(byName('Django')?.line).toBe(lineOf(content, 'Django=='));
  });

  it('keeps extras and markers from breaking the requirement', () => {
    expect(byName('requests')).toEqual({
      ecosystem: 'pypi',
      name: 'requests',
      version: '2.31.0',
      line: lineOf(content, 'requests[socks]'),
    });
  });

  it('gives ranges and bare names as spec, never as version', () => {
    expect(byName('typing_extensions')).toMatchObject({ spec: '>=4.0' });
    expect(byName('typing_extensions')?.version).toBeUndefined();
    expect(byName('six')).toMatchObject({ spec: '' });
    expect(byName('six')?.version).toBeUndefined();
  });

  it('treats ==, === as pins and wildcard or compound specifiers as ranges', () => {
    const [exact, arbitrary, wildcard, compound, parenthesized] = parseRequirements(
      'a==1.0\nb===1.0-custom\nc==1.*\nd>=1, <2\ne (==2.0)\n',
    );
    expect(exact.version).toBe('1.0');
    expect(arbitrary.version).toBe('1.0-custom');
    expect(wildcard).toMatchObject({ spec: '==1.*' });
    expect(wildcard.version).toBeUndefined();
    expect(compound).toMatchObject({ spec: '>=1,<2' });
    expect(parenthesized.version).toBe('2.0');
  });

  it('reads simple lines (fast path) exactly as the full PEP 508 grammar does', () => {
    const lines = [
      'a==1.0',
      'Foo_Bar.baz[x, y] >= 1.0 , < 2',
      'c~=1.4.2',
      'd===1.0-local',
      'e==1.*',
      'f',
      'g!=1.0,>=0.9',
    ];
    // A marker sends the same requirement through pip-requirements-js.
    const viaGrammar = parseRequirements(
      lines.map((l) => `${l} ; python_version >= "3"`).join('\n'),
    );
    expect(parseRequirements(lines.join('\n'))).toEqual(viaGrammar);
  });

  it('turns editable and URL requirements into packages with resolved and no version', () => {
    expect(byName('internal-tool')).toEqual({
      ecosystem: 'pypi',
      name: 'internal-tool',
      spec: '',
      line: lineOf(content, '-e git+'),
      resolved: 'git+https://github.com/example/internal-tool.git@v1.0#egg=internal-tool',
    });
    const [named, bare, local] = parseRequirements(
      [
        'attrs @ https://files.example/attrs-23.2.0-py3-none-any.whl',
        'https://files.example/packages/Flask-3.0.0.tar.gz#sha256=abc',
        './vendor/mylib',
      ].join('\n'),
    );
    expect(named).toMatchObject({
      name: 'attrs',
      resolved: 'https://files.example/attrs-23.2.0-py3-none-any.whl',
    });
    expect(named.version).toBeUndefined();
    expect(bare).toMatchObject({ name: 'Flask', line: 2 });
    expect(local).toMatchObject({ name: 'mylib', resolved: './vendor/mylib', line: 3 });
  });

  it('skips comments, blank lines, includes and options', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual([
      'certifi',
      'charset-normalizer',
      'Django',
      'requests',
      'urllib3',
      'typing_extensions',
      'six',
      'internal-tool',
    ]);
  });

  it('keeps a # inside a URL (pip only starts comments after whitespace)', () => {
    const [pkg] = parseRequirements('-e git+https://host/repo.git#egg=tool # our fork\n');
    expect(pkg).toMatchObject({ name: 'tool', resolved: 'git+https://host/repo.git#egg=tool' });
  });

  it('handles CRLF line endings and a byte-order mark', () => {
    const pkgs = parseRequirements('\ufeffa==1\r\nb==2 \\\r\n  --hash=sha256:AB12\r\nc==3\r\n');
    expect(pkgs.map((pkg) => [pkg.name, pkg.line, pkg.hashes])).toEqual([
      ['a', 1, undefined],
      ['b', 2, ['sha256:ab12']],
      ['c', 4, undefined],
    ]);
  });

  it('ends a continuation at a comment line, as pip does', () => {
    const pkgs = parseRequirements('a==1 \\\n# note\nb==2\n');
    expect(pkgs.map((pkg) => [pkg.name, pkg.line])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });

  it('reports invalid requirements with their line', () => {
    const error = parseError('good==1.0\n\nbad==\n');
    expect(error.line).toBe(3);
    expect(error.message).toContain('invalid requirement "bad=="');
  });

  it('reports unknown options and options missing a value', () => {
    expect(parseError('a==1\n--frobnicate\n')).toMatchObject({
      line: 2,
      message: 'unknown option --frobnicate',
    });
    expect(parseError('-r\n')).toMatchObject({ line: 1, message: 'option -r needs a value' });
    expect(parseError('a==1 --hash=md5\n').message).toContain('invalid --hash value');
  });
});

describe('parseRequirementsFile', () => {
  it('returns includes and index options with their lines', () => {
    const file = parseRequirementsFile(
      [
        '--index-url https://pypi.org/simple',
        '--extra-index-url=https://private.example/simple',
        '-r base.txt',
        '--requirement ../shared/requirements.txt',
        '-cconstraints.txt',
        '--find-links ./wheels',
        'a==1',
      ].join('\n'),
    );
    expect(file.includes).toEqual([
      { kind: 'requirements', path: 'base.txt', line: 3 },
      { kind: 'requirements', path: '../shared/requirements.txt', line: 4 },
      { kind: 'constraints', path: 'constraints.txt', line: 5 },
    ]);
    expect(file.indexOptions).toEqual([
      { option: 'index-url', value: 'https://pypi.org/simple', line: 1 },
      { option: 'extra-index-url', value: 'https://private.example/simple', line: 2 },
      { option: 'find-links', value: './wheels', line: 6 },
    ]);
    expect(file.packages).toHaveLength(1);
  });
});

describe('requirementIncludes', () => {
  it('resolves includes against the including file and flags ones outside the repository', () => {
    const includes = requirementIncludes(
      'services/api/requirements.txt',
      '-r requirements/common.txt\n-c ../../constraints.txt\n-r https://example.com/r.txt\n-r ../../../etc.txt\n',
    );
    expect(includes).toEqual([
      {
        kind: 'requirements',
        path: 'requirements/common.txt',
        line: 1,
        repoPath: 'services/api/requirements/common.txt',
      },
      { kind: 'constraints', path: '../../constraints.txt', line: 2, repoPath: 'constraints.txt' },
      { kind: 'requirements', path: 'https://example.com/r.txt', line: 3 },
      { kind: 'requirements', path: '../../../etc.txt', line: 4 },
    ]);
  });

  it('resolves includes of a top-level file', () => {
    expect(resolveIncludePath('requirements.txt', './dev.txt')).toBe('dev.txt');
    expect(resolveIncludePath('requirements.txt', '/abs/dev.txt')).toBeUndefined();
  });
});

describe('names', () => {
  it('normalises per PEP 503', () => {
    expect(normalizePythonName('Typing_Extensions')).toBe('typing-extensions');
    expect(normalizePythonName('zope.interface')).toBe('zope-interface');
    expect(normalizePythonName('a-_.b')).toBe('a-b');
  });

  it('derives names from URLs and paths the way pip does', () => {
    expect(nameFromUrlOrPath('git+https://h/r.git@v1#egg=My_Pkg')).toBe('My_Pkg');
    expect(nameFromUrlOrPath('https://h/requests-2.31.0-py3-none-any.whl')).toBe('requests');
    expect(nameFromUrlOrPath('https://h/python-dateutil-2.9.0.tar.gz')).toBe('python-dateutil');
    expect(nameFromUrlOrPath('git+https://github.com/o/tool.git')).toBe('tool');
  });
});
