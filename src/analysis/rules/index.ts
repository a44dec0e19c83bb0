import type { Rule } from '../rule.js';

/** Code rules (Python and JavaScript behaviours), one small unit each. */
export const codeRules: Rule[] = [];
