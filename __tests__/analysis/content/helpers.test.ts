import { describe, expect, it } from '@jest/globals';
import { AnalysisContext } from '../../../src/analysis/context.js';
import {
  archiveMemberNames,
  findEncodedBlobs,
  installContext,
  isMinified,
  obfuscationSignals,
  shannonEntropy,
  shapeOf,
  skeleton,
  sniff,
} from '../../../src/analysis/content/index.js';
import { allRegions, lexRegions } from '../../../src/analysis/content/lexer.js';
import { extension, isHidden, misnamed } from '../../../src/analysis/content/names.js';
import {
  ELF_BYTES,
  FAT_MACHO_BYTES,
  MACHO_BYTES,
  PE_BYTES,
  gzipBytes,
  minifiedJs,
  noise,
  npmManifest,
  pkg,
  readableJs,
  tarBytes,
  zipBytes,
} from './fixtures.js';

describe('sniff (magic bytes)', () => {
  it('recognises executables, archives and bytecode by content', () => {
    expect(sniff(ELF_BYTES)?.id).toBe('elf');
    expect(sniff(PE_BYTES)?.id).toBe('pe');
    expect(sniff(MACHO_BYTES)?.id).toBe('macho');
    expect(sniff(FAT_MACHO_BYTES)?.id).toBe('macho-fat');
    expect(sniff(zipBytes({ a: 'b' }))?.id).toBe('zip');
    expect(sniff(gzipBytes('x'))?.id).toBe('gzip');
    expect(sniff(tarBytes({ a: 'b' }))?.id).toBe('tar');
    expect(sniff(new Uint8Array([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))?.id).toBe('7z');
    expect(sniff(new TextEncoder().encode('Rar!\x1a\x07\x01\x00'))?.id).toBe('rar');
  });

  it('tells a Java class file from a fat Mach-O (both start 0xCAFEBABE)', () => {
    const javaClass = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34, 0, 0]);
    expect(sniff(javaClass)?.id).toBe('java-class');
  });

  it('does not take text starting with MZ for a PE', () => {
    expect(sniff(new TextEncoder().encode('MZ'.padEnd(200, ' ')))).toBeNull();
    expect(sniff(new TextEncoder().encode('import os\n'))).toBeNull();
  });
});

describe('names', () => {
  it('compares the name with the content type', () => {
    const elf = sniff(ELF_BYTES)!;
    expect(misnamed('pkg/logo.png', elf)).toBe(true);
    expect(misnamed('pkg/util.js', elf)).toBe(true);
    expect(misnamed('pkg/bin/esbuild', elf)).toBe(false);
    expect(misnamed('pkg/libfoo.so.1.2', elf)).toBe(false);
    expect(misnamed('pkg/tool.linux-x64', elf)).toBe(false);
    expect(misnamed('pkg/data.zip', elf)).toBe(true);
    expect(misnamed('pkg/__pycache__/m.pyc', sniff(zipBytes({ a: 'b' }))!)).toBe(true);
    expect(extension('a/libz.so.1.2.11')).toBe('so');
    expect(isHidden('pkg/.cache')).toBe(true);
    expect(isHidden('pkg/.github/workflows/x.yml')).toBe(false);
  });
});

describe('archive member names', () => {
  it('reads zip, tar and gzipped tar listings without unpacking', () => {
    expect(
      archiveMemberNames(zipBytes({ 'a.py': '1', 'b/c.exe': '2' }), sniff(zipBytes({ x: '' }))!),
    ).toEqual(['a.py', 'b/c.exe']);
    const tar = tarBytes({ 'x/run.sh': 'echo', 'x/data.txt': 'y'.repeat(700) });
    expect(archiveMemberNames(tar, sniff(tar)!)).toEqual(['x/run.sh', 'x/data.txt']);
    const tgz = gzipBytes(tar);
    expect(archiveMemberNames(tgz, sniff(tgz)!)).toEqual(['x/run.sh', 'x/data.txt']);
  });
});

describe('entropy and blobs', () => {
  it('measures Shannon entropy in bits per symbol', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBeCloseTo(1);
    expect(shannonEntropy(noise(65536))).toBeGreaterThan(7.9);
  });

  it('finds random base64 runs and skips word-like ones', () => {
    const random = Buffer.from(noise(1000)).toString('base64');
    const text = `a = "${random}"\nb = "${'HelloWorld'.repeat(80)}"\n`;
    const blobs = findEncodedBlobs(text);
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatchObject({ encoding: 'base64', line: 1, offset: 5 });
    expect(blobs[0].entropy).toBeGreaterThan(5.5);
  });
});

describe('lexer', () => {
  it('separates code, strings, comments and regex literals in JavaScript', () => {
    const text = 'const a = "x // y"; // note\nconst r = /a"b/g; /* c */ `t ${1 + "}"} u`';
    const kinds = allRegions(text, 'javascript').map((r) => [r.kind, text.slice(r.start, r.end)]);
    expect(kinds).toEqual([
      ['code', 'const a = '],
      ['string', '"x // y"'],
      ['code', '; '],
      ['comment', '// note'],
      ['code', '\nconst r = '],
      ['string', '/a"b/g'],
      ['code', '; '],
      ['comment', '/* c */'],
      ['code', ' '],
      ['string', '`t ${1 + "}"} u`'],
    ]);
  });

  it('handles Python prefixes, triple quotes and comments', () => {
    const text = `x = rb'\\'' # c\ny = """a\n'b'"""\n`;
    expect(lexRegions(text, 'python').map((r) => text.slice(r.start, r.end))).toEqual([
      `rb'\\''`,
      '# c',
      `"""a\n'b'"""`,
    ]);
  });
});

describe('shape and obfuscation', () => {
  it('tells minified from readable code', () => {
    expect(isMinified(shapeOf(minifiedJs(8000)))).toBe(true);
    expect(isMinified(shapeOf(readableJs(200)))).toBe(false);
  });

  it('finds no obfuscation fingerprints in ordinary or minified code', () => {
    expect(obfuscationSignals(readableJs(100))).toEqual([]);
    expect(obfuscationSignals(minifiedJs(20000))).toEqual([]);
  });

  it('maps look-alike letters to the ASCII they imitate', () => {
    expect(skeleton('p\u0430ss')).toBe('pass');
    expect(skeleton('\u{1d41e}\u{1d431}\u{1d41e}\u{1d41c}')).toBe('exec');
  });
});

describe('installContext', () => {
  it('follows lifecycle scripts to the files they run and what those require', () => {
    const ctx = new AnalysisContext(
      pkg('npm', {
        'package/package.json': npmManifest({
          scripts: { postinstall: 'node scripts/post.js && echo ok' },
          os: ['linux'],
        }),
        'package/scripts/post.js': `require('./helper');\n`,
        'package/scripts/helper.js': `module.exports = 1;\n`,
        'package/index.js': '',
      }),
    );
    const install = installContext(ctx);
    expect([...install.installFiles].sort()).toEqual([
      'package/scripts/helper.js',
      'package/scripts/post.js',
    ]);
    expect(install.platformPackage).toBe(true);
  });

  it('counts setup.py and .pth files as install time in Python packages', () => {
    const ctx = new AnalysisContext(
      pkg('pypi', {
        'demo-1.0/setup.py': '',
        'demo-1.0/demo/init.pth': 'import os',
        'demo-1.0/tests/setup.py': '',
        'demo-1.0/PKG-INFO': '',
      }),
    );
    expect([...installContext(ctx).installFiles].sort()).toEqual([
      'demo-1.0/demo/init.pth',
      'demo-1.0/setup.py',
    ]);
  });
});

describe('installContext (setup.py imports)', () => {
  it('follows the local modules setup.py imports', () => {
    const ctx = new AnalysisContext(
      pkg('pypi', {
        'demo-1.0/setup.py':
          'from setuptools import setup\nfrom build_tools import hooks\nimport helper\n',
        'demo-1.0/build_tools/__init__.py': '',
        'demo-1.0/build_tools/hooks.py': 'from . import deep\n',
        'demo-1.0/helper.py': '',
        'demo-1.0/demo/__init__.py': '',
        'demo-1.0/PKG-INFO': '',
      }),
    );
    expect([...installContext(ctx).installFiles].sort()).toEqual([
      'demo-1.0/build_tools/__init__.py',
      'demo-1.0/build_tools/hooks.py',
      'demo-1.0/helper.py',
      'demo-1.0/setup.py',
    ]);
  });
});
