import type { Rule } from '../rule.js';
import { commandJackingRule } from './rules/command-jacking.js';
import { commandWrappingRule } from './rules/command-wrapping.js';
import { newCommandRule } from './rules/new-command.js';
import { npmBinHijackRule } from './rules/npm-bin-hijack.js';
import { roguePluginRule } from './rules/rogue-plugin.js';
import { shadowingRule } from './rules/shadowing.js';

export { extractEntryPoints, type DeclaredEntryPoint, type EntryPointKind } from './extract.js';
export { newCommandFindings, newCommands } from './rules/new-command.js';
export { commandStatus, packageNameOf, autoloadedBy, type CommandStatus } from './ownership.js';

/** Entry-point rules: command-jacking, command wrapping, rogue plugins. */
export const entrypointRules: Rule[] = [
  commandJackingRule,
  npmBinHijackRule,
  commandWrappingRule,
  roguePluginRule,
  shadowingRule,
  newCommandRule,
];
