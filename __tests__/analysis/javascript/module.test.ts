import { describe, expect, it } from '@jest/globals';
import { JsModule, type JsNode } from '../../../src/analysis/javascript/module.js';
import { parseJavaScript } from '../../../src/analysis/javascript/parser.js';

function lastExpression(source: string): { module: JsModule; node: JsNode } {
  const program = parseJavaScript(source);
  if (!program) throw new Error('unparseable test source');
  const module = new JsModule(program, source);
  const body = program.body as JsNode[];
  return { module, node: body[body.length - 1].expression as JsNode };
}

describe('javascript resolution', () => {
  it.each([
    ["const cp = require('child' + '_process');\ncp.exec", 'child_process.exec'],
    ["const { exec: run } = require('node:child_process');\nrun", 'child_process.exec'],
    ["import * as h from 'https';\nh.get", 'https.get'],
    ["require('https').request", 'https.request'],
    ["global['ev' + 'al']", 'eval'],
    ["process.mainModule.require('fs').writeFileSync", 'fs.writeFileSync'],
  ])('%s → %s', (source, expected) => {
    const { module, node } = lastExpression(source);
    expect(module.qualify(node)).toBe(expected);
  });

  it('keeps block-scoped names apart', () => {
    const { module, node } = lastExpression(
      "const n = require('os');\n{ const n = require('child_process'); }\nn.hostname",
    );
    expect(module.qualify(node)).toBe('os.hostname');
  });
});

describe('javascript folding', () => {
  it.each([
    ["Buffer.from('aGk=', 'base64').toString()", 'hi'],
    ["atob('aGk=')", 'hi'],
    ['String.fromCharCode(104, 105)', 'hi'],
    ["'ih'.split('').reverse().join('')", 'hi'],
    ["const a = 'h'; `${a}i`", 'hi'],
    ["[104, 105].map((c) => String.fromCharCode(c)).join('')", 'hi'],
    ["Buffer.from('6869', 'hex').toString('utf8')", 'hi'],
  ])('%s → %s', (source, expected) => {
    const { module, node } = lastExpression(source);
    expect(module.text(node)).toBe(expected);
  });
});
