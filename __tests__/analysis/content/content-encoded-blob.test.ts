import { deflateSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { contentEncodedBlob } from '../../../src/analysis/rules/content-encoded-blob.js';
import { PE_BYTES, noise, npmManifest, runRule } from './fixtures.js';

const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64');

describe('content-encoded-blob', () => {
  it('flags a base64 blob that decodes to a Windows executable as high', async () => {
    const exe = new Uint8Array([...PE_BYTES, ...noise(2000)]);
    const findings = await runRule(contentEncodedBlob, 'pypi', {
      'demo/loader.py': `import base64\nDATA = "${b64(exe)}"\n`,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'content-encoded-blob', severity: 'high', line: 2 });
    expect(findings[0].message).toMatch(/base64 blob.*Windows PE/);
  });

  it('rates compressed payloads by where they run: high in setup.py, medium elsewhere', async () => {
    const packed = b64(deflateSync(noise(3000)));
    const setup = await runRule(contentEncodedBlob, 'pypi', {
      'demo-1.0/setup.py': `import zlib, base64\nP = '${packed}'\n`,
    });
    expect(setup[0].severity).toBe('high');
    expect(setup[0].message).toContain('compressed');
    const module = await runRule(contentEncodedBlob, 'pypi', {
      'demo-1.0/demo/data.py': `P = '${packed}'\n`,
    });
    expect(module[0].severity).toBe('medium');
  });

  it('reports an opaque hex or \\x blob as low (a capability only)', async () => {
    const hex = Buffer.from(noise(600)).toString('hex');
    const escaped = [...noise(300)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    const findings = await runRule(contentEncodedBlob, 'npm', {
      'package/package.json': npmManifest(),
      'package/a.js': `module.exports = "${hex}";\n`,
      'package/b.js': `module.exports = "${escaped}";\n`,
    });
    expect(findings.map((f) => [f.file, f.severity])).toEqual([
      ['package/a.js', 'low'],
      ['package/b.js', 'low'],
    ]);
    expect(findings[0].message).toContain('hex');
    expect(findings[1].message).toContain('escaped-bytes');
  });

  it('ignores inline assets (data: URIs, wasm) and long low-entropy runs', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(1200)]);
    const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...noise(1200)]);
    const findings = await runRule(contentEncodedBlob, 'npm', {
      'package/package.json': npmManifest(),
      'package/icon.js': `export default "data:image/png;base64,${b64(png)}";\n`,
      'package/font.css.js': `export default "data:font/woff2;base64,${b64(noise(1500))}";\n`,
      'package/engine.js': `const wasm = "${b64(wasm)}";\n`,
      'package/paths.js': `const p = "${'abcdefghij'.repeat(100)}";\n`,
    });
    expect(findings).toEqual([]);
  });
});
