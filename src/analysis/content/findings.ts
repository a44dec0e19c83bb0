import type { AnalysisContext } from '../context.js';
import { installContext } from './install.js';

/** Where a file's code runs, as a phrase for findings: install time or when it is loaded. */
export function runsAt(ctx: AnalysisContext, path: string): 'install' | 'load' {
  return installContext(ctx).installFiles.has(path) ? 'install' : 'load';
}

export function runsAtPhrase(ctx: AnalysisContext, path: string): string {
  return runsAt(ctx, path) === 'install'
    ? 'it runs automatically when the package is installed'
    : 'it runs only when the package code loads it';
}

/** Human-readable size. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Python's bare module path (`pkg/mod.py`) or the archive path, for messages. */
export function displayPath(ctx: AnalysisContext, path: string): string {
  return path.startsWith(ctx.root) ? path.slice(ctx.root.length) : path;
}
