import type { Ecosystem, Finding, Severity } from '../types.js';
import type { AnalysisContext } from './context.js';

/** Catalog entry of a rule; `severity` is the default, a finding may lower or raise it with reason. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  ecosystems: Ecosystem[];
  title: string;
  description: string;
  references: string[];
}

/** A rule is a pure function of the package's files (through the context's cached parses). */
export interface Rule {
  meta: RuleMeta;
  check(ctx: AnalysisContext): Finding[];
}
