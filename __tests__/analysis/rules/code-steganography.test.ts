import { describe, expect, it } from '@jest/globals';
import { codeSteganography } from '../../../src/analysis/rules/code-steganography.js';
import { gating, runOn } from './helpers.js';

describe('code-steganography', () => {
  it('flags code revealed from an image and executed at import', async () => {
    const findings = await runOn(codeSteganography, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/__init__.py':
        "from stegano import lsb\nimport os\ncode = lsb.reveal(os.path.join(os.path.dirname(__file__), 'logo.png'))\nexec(code)\n",
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags pixel data turned into code in JavaScript', async () => {
    const findings = await runOn(codeSteganography, 'npm', {
      'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0' }),
      'package/lib/x.js':
        "const { PNG } = require('pngjs');\nconst fs = require('fs');\nfunction load(p) {\n  const png = PNG.sync.read(fs.readFileSync(p));\n  const code = Buffer.from(png.data.filter((_, i) => i % 4 === 0)).toString();\n  eval(code);\n}\nmodule.exports = load;\n",
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('does not report an image library that only reads pixels', async () => {
    const findings = await runOn(codeSteganography, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/thumb.py':
        'from PIL import Image\nimport subprocess\ndef mean(path):\n    img = Image.open(path)\n    px = list(img.getdata())\n    return sum(p[0] for p in px) / len(px)\n',
    });
    expect(gating(findings)).toEqual([]);
  });
});
