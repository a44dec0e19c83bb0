import type { Rule } from '../rule.js';

/** Entry-point rules: command-jacking, command wrapping, rogue plugins. */
export const entrypointRules: Rule[] = [];
