import autoloadData from '../../../data/commands/autoload-groups.json' with { type: 'json' };
import ownersData from '../../../data/commands/owners.json' with { type: 'json' };
import protectedData from '../../../data/commands/protected.json' with { type: 'json' };
import type { Ecosystem } from '../../types.js';
import type { AnalysisContext } from '../context.js';
import { normalizePypiName } from './names.js';

export type ProtectedClass = 'system' | 'developer';

export interface CommandStatus {
  command: string;
  /** Why the name is worth protecting, if it is. */
  protectedAs?: ProtectedClass;
  /** Packages that legitimately provide the name in the package's ecosystem. */
  owners: string[];
  /** Owners in the other ecosystem, for the message when this one has none. */
  otherOwners: string[];
  /** True when the package under test is one of `owners`. */
  ownedByPackage: boolean;
}

const system = new Set(protectedData.system);
const developer = new Set(protectedData.developer);
const owners: Record<Ecosystem, Record<string, string[]>> = {
  npm: ownersData.npm.owners as Record<string, string[]>,
  pypi: ownersData.pypi.owners as Record<string, string[]>,
};

/** Windows launchers (`aws.cmd`, `pip.exe`) answer to the bare name on PATH. */
export function commandKey(command: string): string {
  return command.replace(/\.(cmd|bat|exe|ps1|com)$/i, '');
}

function ownerKey(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? normalizePypiName(name) : name.trim().toLowerCase();
}

export function ownersOf(ecosystem: Ecosystem, command: string): string[] {
  const key = commandKey(command);
  return owners[ecosystem][key] ?? owners[ecosystem][key.toLowerCase()] ?? [];
}

export function protectedClass(command: string): ProtectedClass | undefined {
  const key = commandKey(command);
  for (const candidate of [key, key.toLowerCase()]) {
    if (system.has(candidate)) return 'system';
    if (developer.has(candidate)) return 'developer';
  }
  return undefined;
}

/** Ownership and protection of one command name for the named package. */
export function commandStatus(
  ecosystem: Ecosystem,
  command: string,
  packageName: string | undefined,
): CommandStatus {
  const own = ownersOf(ecosystem, command);
  const other = ownersOf(ecosystem === 'npm' ? 'pypi' : 'npm', command);
  const me = packageName ? ownerKey(ecosystem, packageName) : undefined;
  return {
    command,
    protectedAs: protectedClass(command),
    owners: own,
    otherOwners: other,
    ownedByPackage: me !== undefined && own.some((o) => ownerKey(ecosystem, o) === me),
  };
}

/**
 * The package's own name: the context's, else the metadata's `Name:` (PKG-INFO / METADATA) or
 * package.json `name`. Ownership is never granted to a package whose name cannot be told.
 */
export function packageNameOf(ctx: AnalysisContext): string | undefined {
  if (ctx.name) return ctx.name;
  if (ctx.ecosystem === 'npm') {
    const name = ctx.packageJson()?.name;
    return typeof name === 'string' ? name : undefined;
  }
  const candidates = [ctx.atRoot('PKG-INFO')];
  for (const file of ctx.files) {
    if (/(^|\/)[^/]+\.dist-info\/METADATA$/.test(file.path)) candidates.push(file.path);
  }
  for (const path of candidates) {
    const text = ctx.text(path);
    const name = text ? /^Name:[ \t]*(\S.*?)\s*$/m.exec(text)?.[1] : undefined;
    if (name) return name;
  }
  return undefined;
}

interface AutoloadGroup {
  pattern: string;
  loadedBy: string;
}

const autoloadGroups: AutoloadGroup[] = autoloadData.groups;

/** The auto-loading tool for an entry-point group, when tools load that group by themselves. */
export function autoloadedBy(group: string): string | undefined {
  for (const g of autoloadGroups) {
    const matches = g.pattern.endsWith('*')
      ? group.startsWith(g.pattern.slice(0, -1))
      : group === g.pattern;
    if (matches) return g.loadedBy;
  }
  return undefined;
}

/** Names shared by many unrelated popular packages (`cli`, `serve`) are not worth a shadowing alarm. */
export const MAX_OWNERS_FOR_SHADOWING = 3;

export function describeOwners(status: CommandStatus, ecosystem: Ecosystem): string {
  const label = ecosystem === 'npm' ? 'npm' : 'PyPI';
  if (status.owners.length)
    return `legitimate owner(s) on ${label}: ${status.owners.slice(0, 5).join(', ')}`;
  if (status.otherOwners.length) {
    return `no ${label} package owns it; provided by ${status.otherOwners.slice(0, 5).join(', ')} on ${ecosystem === 'npm' ? 'PyPI' : 'npm'}`;
  }
  return status.protectedAs === 'system'
    ? 'it belongs to the operating system, no package owns it'
    : `no known ${label} owner`;
}
