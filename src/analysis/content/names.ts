import type { ContentType } from './magic.js';

/**
 * What a file's name promises. Extensions are only compared with what the bytes are; they never
 * decide on their own whether a file is a binary.
 */

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Lower-case extension without the dot ('' when none); `.so.1` style versions are skipped. */
export function extension(path: string): string {
  const base = basename(path).toLowerCase();
  const versioned = /\.(so|dylib)(?:\.\d+)+$/.exec(base);
  if (versioned) return versioned[1];
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1);
}

/** A dot-file, or a file inside a dot-folder (other than the usual tool folders). */
export function isHidden(path: string): boolean {
  return path
    .split('/')
    .some(
      (part) =>
        part.startsWith('.') &&
        part.length > 1 &&
        !/^\.(?:github|circleci|vscode|idea|devcontainer|husky|changeset|yarn|bin|libs|dylibs)$/i.test(
          part,
        ),
    );
}

/** Source files: code that an interpreter runs or a shell sources. */
const SOURCE_EXTENSIONS = new Set([
  'py',
  'pyw',
  'pyi',
  'pth',
  'js',
  'cjs',
  'mjs',
  'jsx',
  'ts',
  'cts',
  'mts',
  'tsx',
  'sh',
  'bash',
  'zsh',
  'ps1',
  'psm1',
  'bat',
  'cmd',
  'vbs',
  'rb',
  'pl',
  'php',
  'lua',
]);

export function isSourcePath(path: string): boolean {
  return SOURCE_EXTENSIONS.has(extension(path));
}

export const JS_SOURCE = /\.(?:js|cjs|mjs|jsx|ts|cts|mts|tsx)$/i;
export const PY_SOURCE = /\.(?:py|pyw|pyi)$/i;

/** Extensions whose files are text (code, data, documents). */
const TEXT_EXTENSIONS = new Set([
  ...SOURCE_EXTENSIONS,
  'json',
  'jsonc',
  'json5',
  'map',
  'txt',
  'md',
  'markdown',
  'rst',
  'html',
  'htm',
  'css',
  'scss',
  'less',
  'yml',
  'yaml',
  'toml',
  'cfg',
  'ini',
  'conf',
  'xml',
  'csv',
  'tsv',
  'svg',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'go',
  'rs',
  'java',
  'cs',
  'log',
  'in',
  'lock',
  'properties',
  'env',
  'gyp',
  'gypi',
]);

/** Extensions of images, fonts and documents, which a package reads but never runs. */
const MEDIA_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'bmp',
  'ico',
  'webp',
  'tif',
  'tiff',
  'woff',
  'woff2',
  'ttf',
  'otf',
  'eot',
  'pdf',
  'mp3',
  'mp4',
  'wav',
  'ogg',
  'avi',
  'mov',
]);

export type NameKind = 'text' | 'media' | 'other';

export function nameKind(path: string): NameKind {
  const ext = extension(path);
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  if (MEDIA_EXTENSIONS.has(ext)) return 'media';
  return 'other';
}

/** Extensions under which each binary content type is the expected content. */
const EXPECTED_EXTENSIONS: Record<string, readonly string[]> = {
  elf: ['', 'so', 'node', 'o', 'ko', 'bin', 'elf', 'out', 'run', 'appimage', 'x86_64', 'aarch64'],
  pe: ['exe', 'dll', 'pyd', 'sys', 'node', 'bin', 'com', 'ocx', 'cpl', 'efi', 'mui', 'scr', ''],
  macho: ['', 'dylib', 'so', 'node', 'bundle', 'bin', 'o'],
  'macho-fat': ['', 'dylib', 'so', 'node', 'bundle', 'bin'],
  zip: [
    'zip',
    'jar',
    'war',
    'ear',
    'aar',
    'apk',
    'whl',
    'egg',
    'xpi',
    'crx',
    'vsix',
    'nupkg',
    'npz',
    'docx',
    'xlsx',
    'pptx',
    'odt',
    'ods',
    'odp',
    'epub',
    'kmz',
    'pt',
    'pth',
    'keras',
    'ipa',
    'mar',
    'sketch',
    'pbix',
    'xlsm',
  ],
  gzip: ['gz', 'tgz', 'gzip', 'svgz', 'z', 'emz', 'tgs', 'mod', 'nii', 'dz'],
  tar: ['tar'],
  '7z': ['7z'],
  rar: ['rar'],
  bzip2: ['bz2', 'tbz', 'tbz2'],
  xz: ['xz', 'txz', 'lzma'],
  zstd: ['zst', 'zstd', 'tzst'],
  cab: ['cab', 'msu'],
  msi: ['msi', 'msp', 'doc', 'xls', 'ppt', 'msg', 'ole'],
};

/**
 * True when the name says the file is something else than what its bytes are: an ELF called
 * `logo.png` or `util.js`, a zip called `module.pyc`. Unknown or absent extensions never count:
 * build tools name binaries freely (`rg`, `esbuild`, `libfoo.x64`).
 */
const GENERIC_BINARY = new Set(['bin', 'dat', 'data', 'raw', 'blob', 'pak', 'img', 'out']);

export function misnamed(path: string, type: ContentType): boolean {
  const ext = extension(path);
  if ((EXPECTED_EXTENSIONS[type.id] ?? []).includes(ext)) return false;
  // generic binary names claim no particular type (Office keeps macros in vbaProject.bin)
  if (GENERIC_BINARY.has(ext)) return false;
  const kind = nameKind(path);
  if (kind === 'text' || kind === 'media') return true;
  // an archive or executable under another binary type's usual extension
  if (ext === 'pyc' || ext === 'class' || ext === 'wasm') return true;
  return Object.entries(EXPECTED_EXTENSIONS).some(
    ([id, exts]) =>
      id !== type.id && ext !== '' && exts.includes(ext) && family(id) !== family(type.id),
  );
}

function family(id: string): 'exe' | 'archive' {
  return id === 'elf' || id === 'pe' || id.startsWith('macho') ? 'exe' : 'archive';
}
