import type { AnalysisContext } from '../context.js';
import { extractEntryPoints, type DeclaredEntryPoint } from './extract.js';

const cache = new WeakMap<AnalysisContext, DeclaredEntryPoint[]>();

/** Extraction once per package, shared by every entry-point rule. */
export function entryPointsOf(ctx: AnalysisContext): DeclaredEntryPoint[] {
  let eps = cache.get(ctx);
  if (!eps) cache.set(ctx, (eps = extractEntryPoints(ctx)));
  return eps;
}
