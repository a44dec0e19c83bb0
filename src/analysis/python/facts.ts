import { snippet } from '../context.js';
import { decodeBase64, printableRatio } from '../rules/shared/codecs.js';
import {
  ANY_INDICATOR,
  DOWNLOAD_AND_RUN_SHELL,
  HIDDEN_SHELL,
  REVERSE_SHELL,
  stringIndicators,
} from '../rules/shared/indicators.js';
import {
  ANY_BEHAVIOUR_STRING,
  commandBehaviours,
  pythonCallBehaviour,
  stringBehaviour,
  type BehaviourKind,
} from '../rules/shared/behaviours.js';
import { SECRET_ENV_NAME, SECRET_NAME, URL_IN_TEXT } from '../rules/shared/secrets.js';
import { asText, Evaluator, type Origin, type PyValue } from './evaluate.js';
import { originsOf } from './flow.js';
import { PyModule } from './module.js';
import { copyTree, type PyNode as SyntaxNode } from './ast.js';
import { parsePython } from './parser.js';
import { callArguments, enclosingFunction, forEachNode, lineOf } from './syntax.js';

/**
 * One pass over a Python file that records what it can do (capabilities) and what gives it away
 * (threat indicators), each with where it runs. Rules combine these facts; none of them is a
 * verdict on its own.
 */

/** When code runs: while pip installs the package, at every interpreter start, on import, or only when called. */
export type Position = 'install' | 'startup' | 'import' | 'call';

export type FactKind =
  | 'exec'
  | 'process'
  | 'network'
  | 'download'
  | 'host-info'
  | 'env-dump'
  | 'sensitive'
  | 'endpoint'
  | 'persistence'
  | 'shell-download'
  | 'hidden'
  | 'file-write'
  | 'chmod'
  | 'marshal'
  | 'decode'
  | 'dynamic-import'
  | 'reverse-shell'
  | 'obfuscation'
  | BehaviourKind
  | 'secret-send'
  | 'env-secret-send'
  | 'sleep'
  | 'home-walk'
  | 'archive'
  | 'deserialize';

export interface PyFact {
  kind: FactKind;
  /** Canonical callee or indicator label. */
  name: string;
  line: number;
  position: Position;
  /** Source snippet, or the decoded value when the fact came from a hidden string. */
  evidence: string;
  /** For exec/process/network: what the argument is made of. */
  origins?: Origin[];
  /** Folded argument text (decoded payload, command line, URL) when constant. */
  value?: string;
  /** Set when the fact was found inside a decoded payload: the decoding chain's depth. */
  payloadDepth?: number;
  /** Id of the enclosing function node (0 at top level) to relate facts in one call chain. */
  scope: number;
  /** Name of the outermost enclosing function, when inside one. */
  fn?: string;
}

export interface PyFileFacts {
  path: string;
  facts: PyFact[];
  /** Position of module top-level code in this file. */
  topLevel: Position;
  /** Call graph by simple name: function → names it calls or hands on. */
  edges: Map<string, Set<string>>;
  /** Function names that run when the module's top level runs. */
  reachFromTop: Set<string>;
  /** Local names imported with `from M import name [as local]`: local → module and name. */
  fromImports: Map<string, { module: string; name: string }>;
  /** Decoded payloads that were code, for evidence. */
  payloads: { line: number; text: string }[];
  parseError: boolean;
}

/** Where each part of a file runs, decided by the package-level install-time analysis. */
export interface PositionPolicy {
  /** Position of module top-level code. */
  topLevel: Position;
  /** Functions (by name) that run at install time when this file is involved. */
  installFunctions: ReadonlySet<string>;
  /** Class names whose methods run at install time (cmdclass command classes). */
  installClasses: ReadonlySet<string>;
}

const EXEC_NAMES = new Set([
  'exec',
  'eval',
  'compile',
  'execfile',
  'runpy.run_path',
  'runpy.run_module',
  'types.FunctionType',
  'pyarmor_runtime',
]);

const PROCESS_NAMES =
  /^(?:subprocess\.(?:Popen|call|run|check_call|check_output|getoutput|getstatusoutput)|os\.(?:system|popen[234]?|spawn\w*|exec[lv]p?e?|posix_spawnp?|startfile)|pty\.spawn|commands\.getoutput|asyncio\.create_subprocess_(?:shell|exec)|sh\.Command|\S*ShellExecute[AW]?|win32process\.CreateProcess|ctypes\.windll\.kernel32\.WinExec)$/;

const NETWORK_NAMES =
  /^(?:requests\.(?:get|post|put|patch|delete|head|request|Session|session)|requests\.(?:Session|session)\(\)\.\w+|urllib\d?\.(?:request\.)?(?:urlopen|urlretrieve|Request)|httpx\.(?:get|post|put|request|Client|AsyncClient)|http\.client\.HTTPS?Connection|socket\.(?:socket|create_connection|gethostbyname|getaddrinfo)|smtplib\.SMTP(?:_SSL)?|ftplib\.FTP|telnetlib\.Telnet|aiohttp\.ClientSession(?:\(\)\.(?:post|get|put|request))?|httpx\.(?:Async)?Client\(\)\.(?:post|get|put|request)|pycurl\.Curl|wget\.download|dns\.resolver\.(?:resolve|query)|websocket\.\w+|websockets\.connect|discord_webhook\.DiscordWebhook|dhooks\.Webhook|urllib3\.PoolManager|xmlrpc\.client\.ServerProxy|paramiko\.SSHClient|tls_client\.Session|cloudscraper\.create_scraper|dropbox\.Dropbox(?:\(\)\.files_upload)?|ftplib\.FTP_TLS|pysftp\.Connection)$|\.files_upload$/;

const DOWNLOAD_NAMES = /^(?:urllib\d?\.(?:request\.)?urlretrieve|wget\.download)$/;

const HOST_INFO =
  /^(?:os\.getenv|os\.environ(?:\.get)?|os\.getlogin|getpass\.getuser|socket\.gethostname|socket\.getfqdn|platform\.(?:node|uname)|os\.uname|uuid\.getnode|os\.getcwd|psutil\.users)$/;

/**
 * Tokens that only matter beside a threat indicator (a credential path, an exfiltration
 * endpoint, a persistence location): host identity, the environment, a socket, file writes.
 */
const WEAK_TRIGGER =
  /^(?:environ|getenv|getuser|gethostname|getlogin|chmod|write_bytes|write_text|Fernet|socket)$/;

/**
 * Whether a file can yield a fact worth parsing for: a sink token in its code (comments and
 * docstrings do not count), or a weak token together with a literal threat indicator.
 */
export function pythonWorthParsing(source: string, code: string): boolean {
  const tokens = new RegExp(PYTHON_TRIGGER.source, 'g');
  const weak = new Set<string>();
  for (const m of code.matchAll(tokens)) {
    if (!WEAK_TRIGGER.test(m[0])) return true;
    weak.add(m[0]);
  }
  // one weak token is everyday code; two different ones (environ + socket) can already be a theft
  return weak.size > 1 || (weak.size === 1 && ANY_INDICATOR.test(source));
}

/**
 * Files that contain none of these tokens cannot produce a capability fact (no sink, no way to
 * reach one dynamically), so they are not parsed at all: most of a large library is skipped.
 */
export const PYTHON_TRIGGER =
  /\b(?:exec|eval|execfile|popen\d?|Popen|spawn\w*|exec[lv]p?e?|posix_spawnp?|startfile|subprocess|check_output|check_call|getoutput|getstatusoutput|urlopen|urlretrieve|requests|httpx|socket|smtplib|ftplib|telnetlib|aiohttp|pycurl|wget|urllib3|websockets?|b64decode|b32decode|b16decode|b85decode|a85decode|decodebytes|unhexlify|a2b_\w+|fromhex|decompress|marshal|__import__|import_module|__builtins__|environ|getenv|chmod|Fernet|ShellExecute\w*|WinExec|CreateProcess|run_path|run_module|FunctionType|getuser|gethostname|getlogin|webhook|pyarmor\w*|__pyarmor__|write_bytes|write_text)\b|(?<![.\w])compile\s*\(|\b(?:globals|locals|vars)\(\)\s*\[|\bbuiltins\.(?:exec|eval|compile|execfile|__import__|__dict__|getattr|open)\b|\bvars\(\s*builtins\b|(?<!platform\.)\bsystem\b|\bcodecs\.(?:decode|encode)|\bdns\.resolver|\bpty\.spawn|\.decrypt\(|\bgetattr\(\s*(?:__builtins__|builtins|__import__|globals|sys\.modules)|\b(?:pyperclip|win32clipboard|clipboard_get|pynput|pyxhook|pyHook|GetAsyncKeyState|SetWindowsHookEx\w*|ImageGrab|pyautogui|pyscreenshot|stegano|stepic|LD_PRELOAD|DYLD_INSERT_LIBRARIES)\b|\bkeyboard\.(?:on_press|hook|record|read_key)|\bmss\.mss\b|ld\.so\.preload|(?:^|\n)[ \t]*\w+[ \t]*=[ \t]*(?:globals|locals|vars|getattr|__import__|eval|exec|compile)[ \t]*(?:\n|$)|\bchr\(\s*\w+\s*\)\s+for\b|\bmap\(\s*chr\b|\b(?:c?[pP]ickle|dill|cloudpickle|joblib|jsonpickle|shelve|Unpickler|read_pickle|unsafe_load|allow_pickle)\b|\btorch\.load\b|\b(?:VirtualAlloc\w*|RtlMoveMemory|WriteProcessMemory|CreateRemoteThread\w*|PROT_EXEC|CFUNCTYPE)\b|\b(?:remove|unlink|rmtree)\(\s*(?:__file__|sys\.argv\[0\])/;

/** A shell command that saves a download to disk (curl -o, wget -O, Invoke-WebRequest -OutFile). */
const SHELL_DOWNLOAD =
  /\b(?:curl|wget)(?:\.exe)?\b[^\n;&|]*(?:\s-[a-zA-Z]*[oO][a-zA-Z]*\b|--output|\s>\s*\S)|\b(?:curl|wget)(?:\.exe)?\b[^\n;&|]*https?:\/\/\S+\.(?:exe|sh|bin|ps1|bat|py|jar|dll|msi|scr)\b|\b(?:Invoke-WebRequest|iwr)\b[^\n]*-OutFile|\bDownloadFile\s*\(|certutil(?:\.exe)?\s+-urlcache/i;

/** Environment variables that name the user or machine (what probes report home). */
const IDENTITY_VARIABLES =
  /^(?:USER|USERNAME|LOGNAME|COMPUTERNAME|HOSTNAME|USERDOMAIN|USERPROFILE|HOME)$/i;

/** A string literal written mostly as escapes (`"\\x65\\x76\\x61\\x6c"`) hides its text from review. */
function escapeHeavy(node: SyntaxNode): boolean {
  if (node.type !== 'string' && node.type !== 'concatenated_string') return false;
  const text = node.text;
  if (text.length < 12) return false;
  const escapes = text.match(/\\(?:x[0-9a-fA-F]{2}|[0-7]{1,3}|u[0-9a-fA-F]{4})/g)?.length ?? 0;
  return escapes * 3 > text.length * 0.5;
}

/** Loaders that can run code named in the data (pickle underneath, or yaml object tags). */
const DESERIALIZERS =
  /^(?:c?[pP]ickle\.(?:loads?|Unpickler)|_pickle\.loads?|dill\.loads?|cloudpickle\.loads?|joblib\.load|torch\.load|numpy\.load|pandas\.read_pickle|yaml\.(?:load|unsafe_load)|jsonpickle\.decode|shelve\.open)$/;

/** `echo <base64> | base64 -d | bash` (and `printf`, `--decode`, `-D`, other shells). */
const SHELL_DECODE_AND_RUN =
  /\b(?:echo|printf)\s+(?:-n\s+)?(['"]?)([A-Za-z0-9+/]{16,}={0,2})\1\s*\|\s*base64\s+(?:-d|--decode|-D)\b[^|]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b/;

/** Value origins that mean a string was deliberately unreadable in the source. */
const HIDING_ORIGINS = new Set<Origin>([
  'decode',
  'compress',
  'xor',
  'reverse',
  'chars',
  'decrypt',
]);

const FILE_WRITE_MODES = /^[wax]b?\+?$|^[rb]\+$/;

export function analyzePythonSource(
  path: string,
  source: string,
  policy: PositionPolicy | ((module: PyModule) => PositionPolicy),
  payloadDepth = 0,
): PyFileFacts {
  // Python reads identifiers NFKC-normalised: `𝘳𝘦𝘲𝘶𝘦𝘴𝘵𝘴.get` is `requests.get`. Obfuscators
  // use such look-alike letters to hide names from text search; resolve them as Python does.
  const lookalike = LOOKALIKE_LETTERS.test(source)
    ? LOOKALIKE_LETTERS.exec(blankStrings(source))
    : null;
  if (LOOKALIKE_LETTERS.test(source)) source = source.normalize('NFKC');
  const tree = parsePython(source);
  let ast;
  try {
    ast = copyTree(tree, source);
  } finally {
    tree.delete();
  }
  const module = new PyModule(ast, source);
  const resolved = typeof policy === 'function' ? policy(module) : policy;
  const builder = new FactBuilder(path, module, resolved, payloadDepth);
  builder.run();
  if (lookalike) builder.lookalikeIdentifiers(lookalike.index);
  return {
    path,
    facts: builder.facts,
    payloads: builder.payloads,
    parseError: ast.hasError,
    topLevel: resolved.topLevel,
    edges: builder.edges,
    reachFromTop: builder.reachFromTop,
    fromImports: fromImports(module),
  };
}

/** Mathematical alphanumerics and fullwidth forms: letters that NFKC folds to ASCII. */
const LOOKALIKE_LETTERS = /[\u{1D400}-\u{1D7FF}\uFF21-\uFF3A\uFF41-\uFF5A]/u;

/**
 * The source with string literals and comments blanked to spaces (same length, so offsets still
 * point at the right line): math letters in a string are text (docutils' math tables), in an
 * identifier they are disguise.
 */
function blankStrings(source: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return source
    .replace(/(?:[rRbBuUfF]{0,2})('''|""")[\s\S]*?\1/g, blank)
    .replace(/(?:[rRbBuUfF]{0,2})(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, blank)
    .replace(/#[^\n]*/g, blank);
}

const MAX_PAYLOAD_DEPTH = 4;
const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

class FactBuilder {
  readonly facts: PyFact[] = [];
  readonly payloads: { line: number; text: string }[] = [];
  private readonly evaluator: Evaluator;
  private readonly reachable: { install: Set<string>; import: Set<string> };
  readonly edges: Map<string, Set<string>>;
  readonly reachFromTop: Set<string>;

  constructor(
    private readonly path: string,
    private readonly module: PyModule,
    private readonly policy: PositionPolicy,
    private readonly payloadDepth: number,
  ) {
    this.evaluator = new Evaluator(module);
    const reach = computeReach(module, policy);
    this.reachable = reach;
    this.edges = reach.edges;
    this.reachFromTop = policy.topLevel === 'install' ? reach.install : reach.import;
  }

  run(): void {
    for (const call of this.module.calls) this.visitCall(call);
    for (const attribute of this.module.attributes) {
      if (attribute.endIndex - attribute.startIndex < 200 && attribute.text.endsWith('environ'))
        this.visitAttribute(attribute);
    }
    // Literal indicators are searched per string only when the file shows one somewhere; hidden
    // ones (folded from pieces) surface through the values of network and process arguments.
    const indicators = ANY_INDICATOR.test(this.module.source);
    const behaviours = ANY_BEHAVIOUR_STRING.test(this.module.source);
    if (indicators || behaviours)
      for (const str of this.module.strings) this.visitString(str, indicators, behaviours);
    this.scanObfuscation();
  }

  /**
   * Obfuscator fingerprints: identifier soups (CJK or mathematical letters, `_0x…`, `IlIl`/`O0O0`
   * runs), builtins reached through computed names, names spelled from `repr` slices, and long
   * encoded blobs. Legitimate source code has none of these.
   */
  /** Reported once per file: identifiers spelled in look-alike Unicode letters. */
  lookalikeIdentifiers(offset: number): void {
    const line = this.module.source.slice(0, offset).split('\n').length;
    this.facts.push({
      kind: 'obfuscation',
      name: 'identifiers spelled in look-alike Unicode letters',
      line,
      position: this.policy.topLevel,
      evidence: snippet(this.module.source.split('\n')[line - 1] ?? ''),
      scope: 0,
    });
  }

  private scanObfuscation(): void {
    const source = this.module.source;
    let identifiers = 0;
    let unusual = 0;
    let hex = 0;
    let confusable = 0;
    let first: SyntaxNode | undefined;
    forEachNode(this.module.ast.root, (node) => {
      if (node.type !== 'identifier') return;
      identifiers++;
      const text = node.text;
      if (/[^\t-~]/.test(text)) {
        unusual++;
        first ??= node;
      } else if (/^_0x[0-9a-f]{3,}$/i.test(text)) hex++;
      else if (/^[Il1_]{6,}$|^[O0_]{6,}$/.test(text)) confusable++;
    });
    if (unusual >= 20 && unusual / Math.max(identifiers, 1) > 0.2 && first) {
      this.add('obfuscation', 'identifier soup of non-ASCII names', first);
    }
    if (hex >= 15) this.add('obfuscation', '_0x… identifier soup', this.module.ast.root);
    if (confusable >= 15)
      this.add('obfuscation', 'confusable IlIl/O0O0 identifiers', this.module.ast.root);
    const synthesis =
      /\b(?:oct|hex|chr|ord|copyright|credits|license|int|str|type)\.__(?:str|repr|doc|name)__(?:\(\))?\s*\[/.exec(
        source,
      );
    if (synthesis) {
      this.add('obfuscation', 'builtin names spelled from repr() slices', this.module.ast.root, {
        value: snippet(source.slice(synthesis.index, synthesis.index + 80)),
      });
    }
    if (
      /\bpyobfuscate\b|\bpyarmor\b|Obfuscated with|BlankOBF|Hyperion|PlusOBF|Development\.Obfuscator/i.test(
        source.slice(0, 4000),
      )
    ) {
      this.add('obfuscation', 'obfuscator banner', this.module.ast.root);
    }
    for (const call of this.module.calls) {
      if (this.module.qualify(call.childForFieldName('function')) !== 'getattr') continue;
      const args = callArguments(call).positional;
      const object = this.module.qualify(args[0]);
      // a computed expression (not a plain variable) spelling a builtin's name, whether or not
      // it folds: nobody spells `getattr` out of character codes to make code readable
      const computed = args[1] && !['identifier', 'attribute', 'string'].includes(args[1].type);
      if (object && /^(?:builtins|__builtins__|__builtin__)$/.test(object) && computed) {
        const spelled = this.evaluator.text(args[1]);
        // a name spelled from constants, or unscrambled; a runtime value (an exception class
        // named in a child's error report) is an ordinary lookup
        const scrambled = [...originsOf(this.module, args[1])].some((o) => HIDING_ORIGINS.has(o));
        if (spelled === undefined && !scrambled) continue;
        this.add(
          'obfuscation',
          'builtins looked up by a computed name',
          call,
          spelled ? { value: `getattr(builtins, '${snippet(spelled, 40)}')` } : {},
        );
        break;
      }
    }
  }

  positionOf(node: SyntaxNode): Position {
    const fn = enclosingFunction(node);
    // a module's `if __name__ == "__main__":` block runs when the file is executed, not imported
    // (setup.py is executed, so there it still runs at install time)
    if (!fn)
      return this.policy.topLevel === 'import' && underMainGuard(node)
        ? 'call'
        : this.policy.topLevel;
    const positions: Position[] = [];
    for (let f: SyntaxNode | undefined = fn; f; f = enclosingFunction(f)) {
      const name = f.childForFieldName('name')?.text ?? '';
      const cls = methodClass(f);
      if (
        this.reachable.install.has(name) ||
        (cls && this.policy.installClasses.has(cls)) ||
        this.policy.installFunctions.has(name)
      )
        positions.push('install');
      else if (this.reachable.import.has(name)) positions.push(this.policy.topLevel);
    }
    if (positions.includes('install')) return 'install';
    if (positions.includes('startup')) return 'startup';
    if (positions.includes('import')) return 'import';
    return 'call';
  }

  private add(kind: FactKind, name: string, node: SyntaxNode, extra: Partial<PyFact> = {}): void {
    const fn = enclosingFunction(node);
    const outer = fn ? outermostFunction(fn) : undefined;
    const fnName = outer?.childForFieldName('name')?.text;
    this.facts.push({
      kind,
      name,
      line: lineOf(node),
      position: this.positionOf(node),
      evidence: snippet(node.text),
      scope: outer ? outer.id : 0,
      ...(fnName ? { fn: fnName } : {}),
      ...(this.payloadDepth ? { payloadDepth: this.payloadDepth } : {}),
      ...extra,
    });
  }

  private visitCall(call: SyntaxNode): void {
    const fn = call.childForFieldName('function');
    const name = this.module.qualify(fn);
    if (!name) return;
    const args = callArguments(call);
    const first = args.positional[0] ?? args.keywords.get('source') ?? args.keywords.get('args');
    const behaviour = pythonCallBehaviour(name);
    if (behaviour) this.add(behaviour.kind, behaviour.label, call);
    // code that deletes its own file after running: gone before anyone looks
    if (
      /^(?:os\.(?:remove|unlink)|shutil\.rmtree|pathlib\.Path\(\)\.unlink)$|\.unlink$/.test(name) &&
      /__file__|sys\.argv\[0\]/.test(call.text)
    )
      this.add('evasion', 'deletes its own source file', call, { value: 'self-deletion' });
    if (name === 'mmap.mmap' && /PROT_EXEC|PAGE_EXECUTE/.test(call.text))
      this.add('memory-exec', 'allocates executable memory', call);
    if (
      /^(?:os\.walk|os\.scandir|os\.listdir|glob\.i?glob|pathlib\.Path\(\)\.r?glob)$/.test(name)
    ) {
      // the whole home folder walked: what file-harvesting stealers do before zipping and sending
      const target = first ? first.text : (fn?.childForFieldName('object')?.text ?? '');
      if (
        /expanduser\(\s*['"]~['"]\s*\)|Path\.home\(\)|['"]~[/\\]?['"]|USERPROFILE|\bHOME\b/.test(
          target,
        )
      )
        this.add('home-walk', name, call, { value: snippet(target, 80) });
      return;
    }
    if (
      /^(?:zipfile\.ZipFile|tarfile\.open|shutil\.make_archive|py7zr\.SevenZipFile)$/.test(name)
    ) {
      this.add('archive', name, call);
      return;
    }
    if (name === 'time.sleep' || name === 'asyncio.sleep') {
      const seconds = this.evaluator.evaluate(first);
      if (seconds?.t === 'int' && seconds.v >= 60) this.add('sleep', `sleeps ${seconds.v} s`, call);
      return;
    }
    if (EXEC_NAMES.has(name)) {
      this.visitExec(call, name, first);
      return;
    }
    if (PROCESS_NAMES.test(name)) {
      this.evaluator.resetBudget();
      const commandNode = first ?? args.keywords.get('cmd') ?? args.keywords.get('command');
      const value = this.commandText(commandNode) ?? this.partialCommand(commandNode);
      const origins = [...originsOf(this.module, first)];
      this.add('process', name, call, { origins, ...(value ? { value } : {}) });
      const hidden = hiddenProcess(this.module, args, value);
      if (hidden) this.add('hidden', hidden, call);
      if (value) this.checkShell(value, call);
      if (origins.includes('network'))
        this.add('reverse-shell', 'runs commands received from the network', call);
      return;
    }
    if (/(?:^|\.)zipimporter$|^importlib\.machinery\.SourcelessFileLoader$/.test(name)) {
      this.add('dynamic-import', name, call, {
        value: 'code loaded from a bundled archive or bytecode file',
      });
      return;
    }
    if (name === 'os.dup2') {
      // a socket put in place of stdin/stdout/stderr; dup2 onto other descriptors is plumbing
      const target = this.evaluator.evaluate(args.positional[1]);
      const stdio =
        (target?.t === 'int' && target.v >= 0 && target.v <= 2) ||
        /^sys\.(?:stdin|stdout|stderr)\.fileno\(\)$/.test(args.positional[1]?.text ?? '');
      if (stdio) this.add('reverse-shell', 'os.dup2 of a socket onto stdio', call);
      return;
    }
    if (NETWORK_NAMES.test(name)) {
      this.evaluator.resetBudget();
      const url = this.evaluator.text(first) ?? this.evaluator.partialText(first);
      const origins = [...originsOf(this.module, first)];
      this.add('network', name, call, {
        origins,
        ...(url ? { value: url } : {}),
      });
      if (url && first?.type !== 'string') this.checkIndicators(url, call);
      // where it connects is computed by decoding or unscrambling at run time: hidden from review
      const unscrambled = origins.filter((o) => HIDING_ORIGINS.has(o));
      if (first && unscrambled.length > 0 && !(url && URL_IN_TEXT.test(url)))
        this.add('endpoint', 'destination decoded at run time', call, {
          value: `${snippet(first.text, 100)} (${unscrambled.join(', ')})`,
        });
      if (DOWNLOAD_NAMES.test(name)) this.add('download', name, call, url ? { value: url } : {});
      const dataArgs = [
        ...args.positional.slice(1),
        ...['data', 'json', 'params', 'headers', 'files'].map((k) => args.keywords.get(k)),
      ];
      for (const data of dataArgs)
        if (data && this.mentionsEnviron(data)) this.add('env-dump', name, call);
      const secret = [first, ...dataArgs]
        .map((n) => (n ? this.secretNamedIn(n) : undefined))
        .find((x) => x !== undefined);
      if (secret) this.add('secret-send', secret, call, url ? { value: url } : {});
      // credentials read from the environment and put into the request itself (not its auth
      // headers): CI secret harvesting
      const payload = [
        first,
        ...dataArgs.filter(
          (d) =>
            d?.parent?.type !== 'keyword_argument' ||
            !/^(?:headers|auth)$/.test(d.parent.childForFieldName('name')?.text ?? ''),
        ),
      ];
      const variables = new Set<string>();
      for (const node of payload) if (node) this.secretEnvIn(node, variables);
      if (variables.size > 0)
        this.add('env-secret-send', [...variables].join(', '), call, url ? { value: url } : {});
      return;
    }
    if (HOST_INFO.test(name)) {
      const variable =
        name === 'os.getenv' || name === 'os.environ.get' ? this.evaluator.text(first) : undefined;
      this.add(
        'host-info',
        variable && IDENTITY_VARIABLES.test(variable) ? 'identity variable' : name,
        call,
      );
      return;
    }
    if (name === '__import__' || name === 'importlib.import_module') {
      this.evaluator.resetBudget();
      const target = this.evaluator.text(first);
      if (first && first.type !== 'string')
        this.add('dynamic-import', target ?? '?', call, target ? { value: target } : {});
      return;
    }
    if (name === 'open' || name === 'io.open' || name === 'codecs.open') {
      const mode = this.evaluator.text(args.positional[1] ?? args.keywords.get('mode'));
      if (mode && FILE_WRITE_MODES.test(mode)) {
        const target = this.evaluator.partialText(first);
        this.add('file-write', name, call, target ? { value: target } : {});
        if (target) this.checkIndicators(target, call);
      }
      return;
    }
    if (/\.write$/.test(name) && first) {
      // decoded or downloaded bytes written out (to any file object, temp files included)
      const written = originsOf(this.module, first);
      if (
        written.has('decode') ||
        written.has('network') ||
        written.has('compress') ||
        written.has('decrypt')
      ) {
        this.add('file-write', name, call, { origins: [...written] });
      }
      // code written to disk to be run later: analyse what is written
      this.evaluator.resetBudget();
      const content = this.evaluator.text(first);
      if (content && content.length > 20) {
        this.checkShell(content, call);
        if ((content.match(/\b_0x[0-9a-f]{4,6}\b/g)?.length ?? 0) >= 20) {
          this.add('obfuscation', 'writes obfuscated JavaScript to disk', call, {
            value: snippet(content, 120),
          });
        }
        if (/^\s*(?:import|from)\s+\w/m.test(content)) this.recurse(content, call);
      }
    }
    if (/\.(?:write_text|write_bytes)$|^shutil\.(?:copy\w*|move)$/.test(name)) {
      const target = this.evaluator.partialText(args.positional[1] ?? args.keywords.get('dst'));
      this.add('file-write', name, call, target ? { value: target } : {});
      if (target) this.checkPlacement(target, call);
      return;
    }
    if (
      /^(?:os\.(?:rename|renames|replace|makedirs|mkdir|symlink|link)|git\.Repo\.clone_from|git\.Git\(\)\.clone|pathlib\.Path\(\)\.(?:mkdir|rename|replace|symlink_to))$/.test(
        name,
      )
    ) {
      // where a folder or file is placed: a start-up folder here means it runs at every logon
      this.evaluator.resetBudget();
      const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      const receiverArgument =
        receiver?.type === 'call' ? callArguments(receiver).positional[0] : undefined;
      const placed = [args.positional[1], args.positional[0], receiverArgument]
        .map((n) => (n ? this.evaluator.partialText(n) : undefined))
        .find((t) => t && stringIndicators(t).some((hit) => hit.kind === 'persistence'));
      if (placed) {
        this.add('file-write', name, call, { value: placed });
        this.checkPlacement(placed, call);
      }
      return;
    }
    if (name === 'os.chmod' || name.endsWith('.chmod')) {
      const modeNode = args.positional[1];
      const mode = this.evaluator.evaluate(modeNode);
      const executable =
        mode?.t === 'int'
          ? (mode.v & 0o111) !== 0
          : /S_IX|S_IEXEC|0o?[157]\d\d|\b(?:493|511)\b/.test(modeNode?.text ?? '');
      if (executable) this.add('chmod', name, call);
      return;
    }
    if (DESERIALIZERS.test(name) && this.unsafeDeserialization(name, args)) {
      // loading a pickle runs whatever callables it names: code that no reviewer can read
      const source = first ?? args.keywords.get('f') ?? args.keywords.get('file');
      const text = source ? this.evaluator.partialText(source) : undefined;
      const bundled = source
        ? /__file__|\b(?:files|resource_filename|resource_stream)\(/.test(
            this.definitionText(source),
          )
        : false;
      this.add('deserialize', name, call, {
        origins: [
          ...[...(source ? originsOf(this.module, source) : [])].filter((o) => o !== 'file'),
          ...(bundled ? (['file'] as Origin[]) : []),
        ],
        value: text ?? snippet(source?.text ?? '', 100),
      });
    }
    if (name === 'marshal.loads' || name === 'pickle.loads') {
      // bytecode decoded from a constant in the package itself: code hidden from review
      const embedded = name === 'marshal.loads' && this.evaluator.evaluate(call)?.t === 'code';
      this.add('marshal', name, call, {
        origins: [...originsOf(this.module, first)],
        ...(embedded ? { value: 'embedded bytecode' } : {}),
      });
      return;
    }
    if (/(?:^|\.)(?:__pyarmor__|pyarmor_runtime|__pyarmor_\w+__)$/.test(name)) {
      this.add('obfuscation', 'PyArmor-protected code', call);
      return;
    }
    if (
      /^(?:base64\.\w*decode\w*|binascii\.(?:unhexlify|a2b_\w+)|bytes\.fromhex|zlib\.decompress|codecs\.decode)$/.test(
        name,
      )
    ) {
      this.evaluator.resetBudget();
      const decoded = this.evaluator.evaluate(call);
      const head = decoded?.t === 'bytes' ? decoded.v.subarray(0, 4).toString('latin1') : '';
      const decodedText = decoded ? asText(decoded) : undefined;
      if (decodedText && decodedText.length < 4096) {
        // a URL kept encoded in the source is hidden from review and from URL scanners
        const url = URL_IN_TEXT.exec(decodedText)?.[0];
        if (url) this.add('endpoint', 'URL hidden in an encoding', call, { value: url });
        if (url || decodedText.length < 512) this.checkIndicators(decodedText, call);
      }
      const binary = head.startsWith('MZ')
        ? 'Windows executable'
        : head === '\x7fELF'
          ? 'ELF executable'
          : undefined;
      this.add(
        'decode',
        binary ? `embedded ${binary}` : name,
        call,
        binary
          ? { value: `decoded ${binary} (${decoded?.t === 'bytes' ? decoded.v.length : 0} bytes)` }
          : {},
      );
    }
  }

  private visitExec(call: SyntaxNode, name: string, arg: SyntaxNode | undefined): void {
    this.evaluator.resetBudget();
    const value = arg ? this.evaluator.evaluate(arg) : undefined;
    const origins = new Set(originsOf(this.module, arg));
    if (arg && escapeHeavy(arg)) origins.add('chars');
    let decoded: string | undefined;
    if (value?.t === 'code') origins.add('marshal');
    const text = value ? asText(value) : undefined;
    // A literal string exec'd as-is is visible code; a folded one was hidden and now is not.
    const hidden =
      arg !== undefined &&
      text !== undefined &&
      !(arg.type === 'string' || arg.type === 'concatenated_string');
    if (text !== undefined && hidden) decoded = text;
    if (name === 'compile' && !text && origins.size === 0) return; // compile(source_file_text) is normal
    this.add('exec', name, call, {
      origins: [...origins],
      ...(decoded !== undefined ? { value: decoded } : {}),
    });
    if (text !== undefined) this.recurse(text, call);
  }

  /** Analyzes a decoded string that is Python code as if it ran where the exec is. */
  private recurse(code: string, at: SyntaxNode): void {
    if (this.payloadDepth >= MAX_PAYLOAD_DEPTH || code.length > MAX_PAYLOAD_BYTES) return;
    if (printableRatio(code) < 0.9) return;
    this.payloads.push({ line: lineOf(at), text: code });
    const position = this.positionOf(at);
    const inner = analyzePythonSource(
      this.path,
      code,
      { topLevel: position, installFunctions: new Set(), installClasses: new Set() },
      this.payloadDepth + 1,
    );
    const line = lineOf(at);
    const fn = enclosingFunction(at);
    const outer = fn ? outermostFunction(fn) : undefined;
    const fnName = outer?.childForFieldName('name')?.text;
    for (const fact of inner.facts) {
      const innerPosition = fact.position === 'call' ? 'call' : position;
      this.facts.push({
        ...fact,
        line,
        position: innerPosition,
        scope: outer ? outer.id : 0,
        ...(fnName ? { fn: fnName } : {}),
        payloadDepth: fact.payloadDepth ?? this.payloadDepth + 1,
      });
    }
    this.payloads.push(...inner.payloads.map((p) => ({ ...p, line })));
  }

  private visitAttribute(node: SyntaxNode): void {
    if (node.parent?.type === 'call' && node.parent.childForFieldName('function')?.id === node.id)
      return;
    const name = this.module.qualify(node);
    if (name === 'os.environ') {
      this.add(this.serialisesEnviron(node) ? 'env-dump' : 'host-info', name, node);
    }
  }

  private visitString(node: SyntaxNode, indicators = true, behaviours = true): void {
    if (node.text.length > 200000) return;
    this.evaluator.resetBudget();
    const value = this.evaluator.text(node) ?? this.evaluator.partialText(node);
    if (!value) return;
    if (behaviours) {
      const behaviour = stringBehaviour(value);
      // a country code counts only where it is compared (`tz == 'Europe/Moscow'`, `in ('RU',)`)
      if (behaviour && (behaviour.kind !== 'locale' || comparedIn(node)))
        this.add(behaviour.kind, behaviour.label, node, { value: snippet(value, 120) });
    }
    if (!indicators) return;
    this.checkIndicators(value, node);
    if (REVERSE_SHELL.test(value))
      this.add('reverse-shell', 'reverse shell command', node, { value: snippet(value, 200) });
  }

  /**
   * Whether a loader call may run code: pickle-based loaders always, torch.load unless
   * `weights_only=True`, numpy.load only with `allow_pickle=True`, yaml.load with an unsafe Loader.
   */
  private unsafeDeserialization(name: string, args: ReturnType<typeof callArguments>): boolean {
    const keyword = (key: string) => args.keywords.get(key)?.text;
    if (name === 'torch.load') return keyword('weights_only') !== 'True';
    if (name === 'numpy.load') return keyword('allow_pickle') === 'True';
    if (name === 'yaml.load') {
      const loader = keyword('Loader') ?? args.positional[1]?.text ?? '';
      return /(?:^|\.)(?:Unsafe)?Loader$/.test(loader);
    }
    return true;
  }

  /** The text an expression is built from, with the values of the local names it uses. */
  private definitionText(node: SyntaxNode): string {
    const parts = [node.text];
    forEachNode(node, (n) => {
      if (n.type === 'identifier' && parts.length < 6)
        for (const v of this.module.assignedValues(n.text, n).slice(0, 2)) {
          parts.push(v.node.text);
          forEachNode(v.node, (m) => {
            if (m.type === 'identifier' && parts.length < 10)
              for (const w of this.module.assignedValues(m.text, m).slice(0, 1))
                parts.push(w.node.text);
          });
        }
    });
    return parts.join('\n');
  }

  /** Names of credential variables read from the environment inside an expression (2 hops). */
  private secretEnvIn(root: SyntaxNode, out: Set<string>, hops = 2): void {
    forEachNode(root, (n) => {
      if (out.size > 8) return;
      let variable: string | undefined;
      if (n.type === 'call') {
        const callee = this.module.qualify(n.childForFieldName('function'));
        if (callee === 'os.getenv' || callee === 'os.environ.get')
          variable = this.evaluator.text(callArguments(n).positional[0]);
      } else if (
        n.type === 'subscript' &&
        this.module.qualify(n.childForFieldName('value')) === 'os.environ'
      ) {
        variable = this.evaluator.text(n.childForFieldName('subscript'));
      } else if (n.type === 'identifier' && hops > 0) {
        for (const v of this.module.assignedValues(n.text, n).slice(0, 2))
          this.secretEnvIn(v.node, out, hops - 1);
      }
      if (variable && SECRET_ENV_NAME.test(variable)) out.add(variable);
    });
  }

  /** Persistence locations among the indicators of a path something is written or moved to. */
  private checkPlacement(target: string, node: SyntaxNode): void {
    for (const hit of stringIndicators(target))
      if (hit.kind === 'persistence') this.add(hit.kind, hit.label, node, { value: hit.match });
  }

  private checkIndicators(value: string, node: SyntaxNode): void {
    for (const hit of stringIndicators(value))
      this.add(hit.kind, hit.label, node, { value: hit.match });
  }

  private partialCommand(node: SyntaxNode | undefined): string | undefined {
    if (!node) return undefined;
    if (node.type === 'list' || node.type === 'tuple') {
      const parts = node.namedChildren.map((c) => this.evaluator.partialText(c) ?? '*');
      return parts.every((p) => p === '*') ? undefined : parts.join(' ');
    }
    return this.evaluator.partialText(node);
  }

  private checkShell(command: string, node: SyntaxNode): void {
    for (const behaviour of commandBehaviours(command))
      this.add(behaviour.kind, behaviour.label, node, { value: snippet(command, 200) });
    if (SHELL_DOWNLOAD.test(command))
      this.add('download', 'shell download', node, { value: snippet(command, 200) });
    if (REVERSE_SHELL.test(command)) {
      this.add('reverse-shell', 'reverse shell command', node, { value: snippet(command, 200) });
    } else if (/^\s*(?:\/bin\/)?(?:ba|z)?sh\s+-i\b|^\s*cmd(?:\.exe)?\s*$/.test(command)) {
      this.add('reverse-shell', 'interactive shell', node, { value: snippet(command, 200) });
    }
    // python -c '<code>': the inline program runs here too
    const inline = /\bpython[\d.]*(?:\.exe)?\s+-c\s+(['"])([\s\S]+)\1/.exec(command);
    if (inline) this.recurse(inline[2], node);
    const download = DOWNLOAD_AND_RUN_SHELL.exec(command);
    if (download)
      this.add('shell-download', 'download and run', node, { value: snippet(command, 200) });
    const hidden = HIDDEN_SHELL.exec(command);
    if (hidden) this.add('hidden', hidden[0], node, { value: snippet(command, 200) });
    this.checkIndicators(command, node);
    // `echo <base64> | base64 -d | sh`: the shell runs a script the source never shows
    const piped = SHELL_DECODE_AND_RUN.exec(command);
    const script = piped ? decodeBase64(piped[2])?.toString('utf8') : undefined;
    if (script && printableRatio(script) > 0.9 && this.payloadDepth < 4) {
      this.add('exec', 'shell runs a base64-decoded script', node, {
        origins: ['decode'],
        value: snippet(script, 200),
      });
      this.checkShell(script, node);
    }
  }

  private commandText(node: SyntaxNode | undefined): string | undefined {
    if (!node) return undefined;
    const value: PyValue | undefined = this.evaluator.evaluate(node);
    if (!value) return undefined;
    if (value.t === 'list') {
      const parts = value.v.map((v) => asText(v));
      return parts.every((p) => p !== undefined) ? parts.join(' ') : undefined;
    }
    return asText(value);
  }

  private stringValue(node: SyntaxNode | undefined): Partial<PyFact> {
    const text = node ? this.evaluator.text(node) : undefined;
    return text ? { value: text } : {};
  }

  /**
   * The whole environment serialised or sent: json.dumps(os.environ), str(dict(os.environ)),
   * base64 of it, or os.environ as a request's data, also when the copy is first kept in a
   * variable or turned into `k=v` lines (`env = dict(os.environ)` … `post(url, data=json.dumps(env))`).
   * Passing it to a child process (env=...) or reading one variable is not.
   */
  private serialisesEnviron(node: SyntaxNode, budget = { hops: 12 }): boolean {
    let current = node;
    while (budget.hops-- > 0) {
      const parent = current.parent;
      if (!parent) return false;
      if (parent.type === 'attribute') {
        // the whole mapping (items/copy/…) or its text re-encoded; `.get(name)` reads one value
        if (
          !/^(?:items|copy|keys|values|encode|decode)$/.test(
            parent.childForFieldName('attribute')?.text ?? '',
          )
        )
          return false;
        current = parent.parent?.type === 'call' ? parent.parent : parent;
        continue;
      }
      // `for k, v in os.environ.items()` inside a comprehension or join: the result carries it all
      if (
        parent.type === 'for_in_clause' ||
        parent.type === 'generator_expression' ||
        parent.type === 'list_comprehension' ||
        parent.type === 'dictionary_comprehension' ||
        parent.type === 'dictionary_splat' ||
        parent.type === 'dictionary' ||
        parent.type === 'parenthesized_expression'
      ) {
        current = parent;
        continue;
      }
      if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === current.id) {
        const left = parent.childForFieldName('left');
        if (left?.type !== 'identifier') return false;
        return this.usesOf(left).some((use) => this.serialisesEnviron(use, budget));
      }
      if (parent.type === 'keyword_argument') {
        const key = parent.childForFieldName('name')?.text ?? '';
        return /^(?:data|json|params|body|content|files|message|text|payload)$/.test(key);
      }
      if (parent.type === 'argument_list' || parent.type === 'generator_expression') {
        const call = parent.parent;
        const callee = call ? (this.module.qualify(call.childForFieldName('function')) ?? '') : '';
        if (/^(?:dict|list|sorted|tuple)$|\.join$|^str\.join$/.test(callee) && call) {
          current = call;
          continue;
        }
        return (
          /^(?:json\.dumps|str|repr|pickle\.dumps|marshal\.dumps|base64\.\w*encode\w*|urllib\.parse\.urlencode|zlib\.compress)$/.test(
            callee,
          ) ||
          NETWORK_NAMES.test(callee) ||
          /\.(?:send|sendall|sendto|sendmail|send_message)$/.test(callee)
        );
      }
      if (
        parent.type === 'call' &&
        /\.join$/.test(parent.childForFieldName('function')?.text ?? '')
      ) {
        current = parent;
        continue;
      }
      if (parent.type === 'interpolation') {
        // an f-string that embeds it is a serialisation only when that string goes somewhere
        let text: SyntaxNode | null = parent.parent;
        while (text && text.type !== 'string') text = text.parent;
        if (!text) return false;
        current = text;
        if (budget.hops <= 2) return true;
        continue;
      }
      // anything else (comparisons, subscripts, other calls) is a use, not a serialisation
      return false;
    }
    return false;
  }

  /** Later reads of a variable in the same function (or module top level), a few at most. */
  private usesOf(name: SyntaxNode): SyntaxNode[] {
    const scope = enclosingFunction(name) ?? this.module.ast.root;
    const uses: SyntaxNode[] = [];
    forEachNode(scope, (n) => {
      if (
        uses.length < 8 &&
        n.type === 'identifier' &&
        n.text === name.text &&
        n.startIndex > name.endIndex &&
        !(n.parent?.type === 'assignment' && n.parent.childForFieldName('left')?.id === n.id)
      )
        uses.push(n);
    });
    return uses;
  }

  /**
   * The name of a wallet secret (mnemonic, seed phrase, private key, keystore, vault) among the
   * identifiers, keys and f-string parts of a request argument, following local assignments a
   * few hops: `post(url, json={"mnemonic": phrase})`, `get(f"{api}/{private_key}")`.
   */
  private secretNamedIn(root: SyntaxNode): string | undefined {
    let budget = 400;
    const seen = new Set<number>();
    const visit = (node: SyntaxNode, hops: number): string | undefined => {
      if (budget-- <= 0 || seen.has(node.id)) return undefined;
      seen.add(node.id);
      if (node.type === 'identifier') {
        const m = SECRET_NAME.exec(node.text);
        if (m) return m[0];
        if (hops > 0)
          for (const v of this.module.assignedValues(node.text, node)) {
            const found = visit(v.node, hops - 1);
            if (found) return found;
          }
        return undefined;
      }
      if (node.type === 'string' && node.parent?.type === 'pair') {
        const m = SECRET_NAME.exec(node.text);
        if (m && node.parent.childForFieldName('key')?.id === node.id) return m[0];
      }
      if (node.type === 'attribute') {
        const attr = node.childForFieldName('attribute');
        const m = attr ? SECRET_NAME.exec(attr.text) : null;
        if (m) return m[0];
      }
      for (const child of node.namedChildren) {
        const found = visit(child, hops);
        if (found) return found;
      }
      return undefined;
    };
    return visit(root, 4);
  }

  private mentionsEnviron(node: SyntaxNode): boolean {
    let found = false;
    forEachNode(node, (n) => {
      if (!found && n.type === 'attribute' && this.module.qualify(n) === 'os.environ') {
        const parent = n.parent;
        found = !(
          parent?.type === 'subscript' ||
          (parent?.type === 'attribute' &&
            parent.parent?.type === 'call' &&
            /\.get$/.test(parent.text))
        );
      }
    });
    return found;
  }
}

function hiddenProcess(
  module: PyModule,
  args: ReturnType<typeof callArguments>,
  command?: string,
): string | undefined {
  for (const key of ['stdout', 'stderr']) {
    const v = args.keywords.get(key);
    if (v && /DEVNULL$/.test(module.qualify(v) ?? v.text)) return `${key}=DEVNULL`;
  }
  if (args.keywords.get('start_new_session')?.text === 'True') return 'start_new_session=True';
  const flagsNode = args.keywords.get('creationflags');
  const flags =
    flagsNode?.type === 'identifier'
      ? (module.assignedValues(flagsNode.text, flagsNode)[0]?.node ?? flagsNode)
      : flagsNode;
  if (flags && /CREATE_NO_WINDOW|DETACHED_PROCESS|0x0*8000000|0x0*8|134217728/.test(flags.text))
    return 'creationflags hides the window';
  if (args.keywords.get('startupinfo')) return 'startupinfo';
  if (command && /\bpythonw(?:\.exe)?\b/i.test(command)) return 'pythonw';
  return undefined;
}

function comparedIn(node: SyntaxNode): boolean {
  let parent = node.parent;
  if (parent && ['tuple', 'list', 'set'].includes(parent.type)) parent = parent.parent;
  return parent?.type === 'comparison_operator';
}

function methodClass(fn: SyntaxNode): string | undefined {
  const parent = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
  if (parent?.type !== 'block') return undefined;
  const cls = parent.parent;
  return cls?.type === 'class_definition' ? cls.childForFieldName('name')?.text : undefined;
}

function outermostFunction(fn: SyntaxNode): SyntaxNode {
  let outer = fn;
  for (let f: SyntaxNode | undefined = fn; f; f = enclosingFunction(f)) outer = f;
  return outer;
}

/**
 * Function names reachable from code that runs on its own: module top level (import) and, for
 * install-time files, cmdclass command methods (install). Edges are calls by simple name,
 * `self.method()`, and functions handed to `Thread(target=f)`, `atexit.register(f)` and the like.
 */
function computeReach(
  module: PyModule,
  policy: PositionPolicy,
): { install: Set<string>; import: Set<string>; edges: Map<string, Set<string>> } {
  const edges = new Map<string, Set<string>>();
  const topLevel = new Set<string>();
  const installRoots = new Set<string>(policy.installFunctions);
  for (const call of module.calls) {
    const targets = calledNames(call);
    if (targets.length === 0) continue;
    const fn = enclosingFunction(call);
    if (!fn) {
      if (policy.topLevel === 'import' && underMainGuard(call)) continue;
      for (const t of targets) topLevel.add(t);
      continue;
    }
    const owner = fn.childForFieldName('name')?.text ?? '';
    const cls = methodClass(fn);
    if (cls && policy.installClasses.has(cls)) for (const t of targets) installRoots.add(t);
    let set = edges.get(owner);
    if (!set) edges.set(owner, (set = new Set()));
    for (const t of targets) set.add(t);
  }
  const close = (roots: Set<string>) => {
    const out = new Set<string>();
    const queue = [...roots];
    while (queue.length) {
      const n = queue.pop() as string;
      if (out.has(n)) continue;
      out.add(n);
      for (const next of edges.get(n) ?? []) queue.push(next);
    }
    return out;
  };
  const importReach = close(topLevel);
  const installReach =
    policy.topLevel === 'install'
      ? new Set([...importReach, ...close(installRoots)])
      : close(installRoots);
  return { install: installReach, import: importReach, edges };
}

function fromImports(module: PyModule): Map<string, { module: string; name: string }> {
  const out = new Map<string, { module: string; name: string }>();
  for (const imp of module.imports) {
    if (imp.node.type !== 'import_from_statement') continue;
    for (const n of imp.node.childrenForFieldName('name')) {
      const name = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
      const local = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
      if (name && local) out.set(local, { module: imp.module, name });
    }
  }
  return out;
}

/** Closure of a call graph from some roots. */
export function reachableFrom(
  edges: Map<string, Set<string>>,
  roots: Iterable<string>,
): Set<string> {
  const out = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const n = queue.pop() as string;
    if (out.has(n)) continue;
    out.add(n);
    for (const next of edges.get(n) ?? []) queue.push(next);
  }
  return out;
}

/** Callees that run a function they are handed (now, later, or in another thread/process). */
const RUNNERS =
  /^(?:Thread|Process|Timer|register|submit|map|imap\w*|starmap|run|start_new_thread|apply\w*|call_soon\w*|call_later|call_at|run_in_executor|enter|enterabs|spawn\w*|create_task|ensure_future|gather|do|add_job|signal|setprofile|settrace|excepthook|Pool|wrap_future|to_thread|run_coroutine_threadsafe|after|schedule\w*|on_\w+|bind|connect|add_\w*callback\w*|add_\w*handler|listen|hook\w*|filter|reduce)$/;
const RUNNER_KEYWORDS = /^(?:target|callback|func|function|fn|cb|handler|on_\w+|command|key)$/;

function underMainGuard(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'if_statement') continue;
    const condition = p.childForFieldName('condition')?.text ?? '';
    if (
      /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/.test(condition.trim())
    ) {
      // only the if-branch, not an else/elif
      const consequence = p.childForFieldName('consequence');
      let n: SyntaxNode | null = node;
      while (n && n.parent !== p) n = n.parent;
      if (n && consequence && n.id === consequence.id) return true;
    }
  }
  return false;
}

function calledNames(call: SyntaxNode): string[] {
  const out: string[] = [];
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') out.push(fn.text);
  else if (fn?.type === 'attribute') {
    // self.method() / cls.method(): a method of the same class; other attribute calls are
    // methods of unknown objects and would link unrelated functions by name
    const object = fn.childForFieldName('object')?.text;
    const attr = fn.childForFieldName('attribute')?.text;
    if (attr && (object === 'self' || object === 'cls')) out.push(attr);
  }
  // a function handed to a runner (Thread(target=f), atexit.register(f), pool.submit(f)) runs;
  // one handed to a decorator or wrapper (`f = timeout(5)(f)`) or stored does not by itself
  const callee = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  const runner = !!callee && RUNNERS.test(callee);
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const keyword =
      arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    if (!runner && !(keyword && RUNNER_KEYWORDS.test(keyword))) continue;
    const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    if (value?.type === 'identifier') out.push(value.text);
    else if (value?.type === 'attribute') {
      const attr = value.childForFieldName('attribute')?.text;
      if (attr && value.childForFieldName('object')?.text === 'self') out.push(attr);
    }
  }
  return out;
}
