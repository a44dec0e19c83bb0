/**
 * Capabilities that are harmless in some tools and the core of some malware: watching the user
 * (clipboard, keystrokes, screen), loading code into other programs (LD_PRELOAD, DLL search
 * order), hiding from analysis, reading code out of images, publishing packages, and gating on
 * the user's country. The facts builders tag calls, commands and strings with these; the rules
 * decide severity by what else the same file does and when it runs.
 */

export type BehaviourKind =
  | 'surveillance'
  | 'clipboard-write'
  | 'hijack'
  | 'evasion'
  | 'stego'
  | 'publish'
  | 'locale'
  | 'destroy'
  | 'memory-exec';

export interface BehaviourMatch {
  kind: BehaviourKind;
  label: string;
}

const PYTHON_CALLS: readonly [RegExp, BehaviourKind, string][] = [
  // shellcode loaders: executable memory, the bytes copied in, a thread started on them
  [
    /(?:^|\.)(?:VirtualAlloc(?:Ex)?|NtAllocateVirtualMemory|VirtualProtect(?:Ex)?|HeapCreate)$/,
    'memory-exec',
    'allocates executable memory',
  ],
  [
    /(?:^|\.)(?:RtlMoveMemory|RtlCopyMemory|WriteProcessMemory|NtWriteVirtualMemory)$|^ctypes\.memmove$/,
    'memory-exec',
    'copies bytes into memory',
  ],
  [
    /(?:^|\.)(?:CreateThread|CreateRemoteThread(?:Ex)?|NtCreateThreadEx|QueueUserAPC|EnumSystemLocalesA|EnumChildWindows|CreateFiber)$|^ctypes\.(?:CFUNCTYPE|WINFUNCTYPE)\(\)\(\)$/,
    'memory-exec',
    'runs code at a memory address',
  ],
  [
    /^(?:pyperclip|clipboard|xerox)\.paste$|^win32clipboard\.GetClipboardData$|\.clipboard_get$|^pandas\.read_clipboard$/,
    'surveillance',
    'reads the clipboard',
  ],
  [
    /^(?:pyperclip|clipboard|xerox)\.copy$|^win32clipboard\.SetClipboard(?:Data|Text)$|\.clipboard_append$/,
    'clipboard-write',
    'writes the clipboard',
  ],
  [
    /^pynput\.keyboard\.Listener$|^keyboard\.(?:on_press|on_release|hook|read_key|read_event|record)$|^(?:pyxhook|pyHook|PyHook3)\.HookManager$|SetWindowsHookEx[AW]?$|GetAsyncKeyState$/,
    'surveillance',
    'records keystrokes',
  ],
  [
    /^(?:PIL\.)?ImageGrab\.grab(?:clipboard)?$|^pyautogui\.screenshot$|^mss\.mss$|^mss\.mss\(\)\.(?:grab|shot)$|^pyscreenshot\.grab$|^d3dshot\.create$/,
    'surveillance',
    'takes screenshots',
  ],
  [
    /^(?:stegano\.\w+|lsb|exifHeader)\.reveal$|^stepic\.decode$|^steganography\.\w+\.decode$|^(?:PIL\.)?Image\.open\(\)\.(?:getdata|getpixel|load|tobytes)$/,
    'stego',
    'reads data hidden in an image',
  ],
  [/^(?:os\.putenv)$/, 'hijack', 'sets an environment variable'],
  [
    /^(?:shutil\.rmtree|os\.remove|os\.unlink|os\.rmdir|pathlib\.Path\(\)\.unlink)$/,
    'destroy',
    'deletes files',
  ],
  [
    /^locale\.(?:getlocale|getdefaultlocale|setlocale)$|^time\.tzname$|^tzlocal\.get_localzone$/,
    'locale',
    'reads the locale or time zone',
  ],
];

const JS_CALLS: readonly [RegExp, BehaviourKind, string][] = [
  [
    /^clipboardy\.(?:read|readSync)$|^copy-paste\.paste$|^clipboard-event|^electron\.clipboard\.read\w*$/,
    'surveillance',
    'reads the clipboard',
  ],
  [
    /^clipboardy\.(?:write|writeSync)$|^copy-paste\.copy$|^electron\.clipboard\.write\w*$/,
    'clipboard-write',
    'writes the clipboard',
  ],
  [
    /^(?:node-global-key-listener\.GlobalKeyboardListener|iohook\.(?:start|on)|uiohook-napi\.uIOhook\.(?:start|on)|node-keylogger\w*)$/,
    'surveillance',
    'records keystrokes',
  ],
  [/^(?:screenshot-desktop|screenshot-desktop\.\w+)$/, 'surveillance', 'takes screenshots'],
  [
    /^(?:steggy\.reveal|jimp\.read|get-pixels|pngjs\.PNG\.sync\.read|png-js\.decode|sharp\(\)\.raw)$/,
    'stego',
    'reads image pixel data',
  ],
  [
    /^fs\.(?:rm|rmSync|rmdir|rmdirSync|unlink|unlinkSync)$|^(?:rimraf|del|fs-extra\.(?:remove|removeSync|emptyDir\w*))$/,
    'destroy',
    'deletes files',
  ],
  [
    /^Intl\.DateTimeFormat\(\)\.resolvedOptions$|^os-locale\w*$|^(?:os-locale\.)?osLocale(?:Sync)?$/,
    'locale',
    'reads the locale or time zone',
  ],
];

/** Shell commands, in child_process / subprocess arguments or install scripts. */
const COMMANDS: readonly [RegExp, BehaviourKind, string][] = [
  [
    /\bpbpaste\b|\bxclip\b[^|;&\n]*-o\b|\bxsel\b[^|;&\n]*(?:-o|--output)\b|\bGet-Clipboard\b|\bwl-paste\b/i,
    'surveillance',
    'reads the clipboard',
  ],
  [
    /\bscreencapture\b|CopyFromScreen|\bimport\s+-window\s+root\b|\bgnome-screenshot\b|\bscrot\b/i,
    'surveillance',
    'takes screenshots',
  ],
  [
    /\bnpm\s+(?:publish|adduser|token\s+create)\b|\byarn\s+(?:npm\s+)?publish\b/,
    'publish',
    'publishes a package',
  ],
  [/\brm\s+-[a-z]*r[a-z]*f?\s+(?:~|\/|\$HOME|\*)/i, 'destroy', 'deletes files recursively'],
];

/** String literals (anywhere in a file) that name one of these behaviours. */
const STRINGS: readonly [RegExp, BehaviourKind, string][] = [
  [
    /\bLD_PRELOAD\b|\/etc\/ld\.so\.preload|\bDYLD_INSERT_LIBRARIES\b|\bLD_AUDIT\b/,
    'hijack',
    'preloads a library into other programs',
  ],
  [
    /(?:^|[\\/])(?:version|winmm|dbghelp|uxtheme|cryptbase|dwmapi|wtsapi32|profapi|userenv|dxgi|msimg32|winhttp|iphlpapi|secur32|wininet|libcurl|ffmpeg)\.dll$/i,
    'hijack',
    'plants a DLL under a name Windows programs load',
  ],
  [
    /VBoxService|VBoxTray|VBoxMouse|VBoxGuest|vboxhook|VirtualBox Guest|vmtoolsd|vmwaretray|vmwareuser|VMware Tools|qemu-ga|SbieDll|Sandboxie|WDAGUtilityAccount|\bcuckoo\b|joeboxserver|IsDebuggerPresent|CheckRemoteDebuggerPresent|wireshark\.exe|procmon(?:64)?\.exe|x64dbg|x32dbg|ollydbg|ida64\.exe|processhacker|fiddler\.exe|httpdebuggerui|DSDT\\+VBOX|^08:00:27|^00:0[cC]:29|^00:50:56/i,
    'evasion',
    'checks for a sandbox, VM or analysis tool',
  ],
  [
    /^(?:RU|BY|ru[-_]RU|be[-_]BY|Russia|Belarus|Russian Federation|Europe\/Moscow|Europe\/Minsk|Europe\/Kaliningrad|Europe\/Samara|Europe\/Volgograd|Asia\/Yekaterinburg|Asia\/Novosibirsk|Asia\/Omsk|Asia\/Vladivostok)$/,
    'locale',
    'compares against a country, language or time zone',
  ],
  [
    /registry\.npmjs\.org\/-\/(?:npm\/v1\/tokens|whoami)|\/-\/user\/org\.couchdb\.user:/,
    'publish',
    'uses the npm registry token API',
  ],
];

/** Crypto address patterns that a clipboard hijacker matches before swapping the address. */
export const WALLET_ADDRESS_PATTERN =
  /0x\[a-fA-F0-9\]\{40\}|0x\[0-9a-fA-F\]\{40\}|\[13\]\[a-km-zA-HJ-NP-Z1-9\]\{2\d,3\d\}|\(bc1\|\[13\]\)|bc1\[a-z0-9\]|\[LM3?\]\[a-km-zA-HJ-NP-Z1-9\]|4\[0-9AB\]\[1-9A-HJ-NP-Za-km-z\]|T\[A-Za-z1-9\]\{33\}|\[1-9A-HJ-NP-Za-km-z\]\{3[2-9],4\d\}/;

function first(
  table: readonly [RegExp, BehaviourKind, string][],
  text: string,
): BehaviourMatch | undefined {
  for (const [pattern, kind, label] of table) if (pattern.test(text)) return { kind, label };
  return undefined;
}

export function pythonCallBehaviour(name: string): BehaviourMatch | undefined {
  return first(PYTHON_CALLS, name);
}

export function jsCallBehaviour(name: string): BehaviourMatch | undefined {
  return first(JS_CALLS, name);
}

export function commandBehaviours(command: string): BehaviourMatch[] {
  return COMMANDS.filter(([p]) => p.test(command)).map(([, kind, label]) => ({ kind, label }));
}

export function stringBehaviour(value: string): BehaviourMatch | undefined {
  if (value.length > 4096) return undefined;
  if (WALLET_ADDRESS_PATTERN.test(value))
    return { kind: 'clipboard-write', label: 'matches crypto wallet addresses' };
  return first(STRINGS, value);
}

/** Cheap pre-test: can any string of the file name one of these behaviours? */
export const ANY_BEHAVIOUR_STRING =
  /LD_PRELOAD|ld\.so\.preload|DYLD_INSERT|LD_AUDIT|\.dll|VBox|VirtualBox|vmtoolsd|vmware|qemu-ga|Sbie|Sandboxie|WDAGUtility|cuckoo|joebox|Debugger|wireshark|procmon|x64dbg|x32dbg|ollydbg|ida64|processhacker|fiddler|httpdebugger|DSDT|08:00:27|00:0[cC]:29|00:50:56|['"](?:RU|BY|ru|by)['"]|ru[-_]RU|be[-_]BY|Russia|Belarus|Europe\/M|Europe\/K|Europe\/S|Europe\/V|Asia\/|registry\.npmjs\.org\/-\/|couchdb\.user|\{40\}|\{2\d,3\d\}|bc1|\[LM|\[13\]|\{3[2-9],4\d\}|\{33\}/;
