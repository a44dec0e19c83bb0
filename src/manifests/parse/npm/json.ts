import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { ManifestParseError } from '../errors.js';
import { LineIndex, stripBom } from '../lines.js';

export interface JsonDocument {
  root: Node;
  lines: LineIndex;
}

const READABLE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unexpected end of comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/**
 * Parses strict JSON (or JSONC with `allowComments`) into a tree that keeps offsets, so every
 * entry can be mapped to its line; the first syntax error becomes a ManifestParseError with its line.
 */
export function parseJsonDocument(
  content: string,
  what: string,
  options: { allowComments?: boolean } = {},
): JsonDocument {
  const text = stripBom(content);
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: !options.allowComments,
    allowTrailingComma: Boolean(options.allowComments),
    allowEmptyContent: false,
  });
  if (errors.length > 0) {
    const first = errors[0];
    const code = printParseErrorCode(first.error);
    throw new ManifestParseError(
      `${what} is not valid JSON: ${READABLE_ERRORS[code] ?? code}`,
      lines.lineAt(first.offset),
    );
  }
  if (!root) throw new ManifestParseError(`${what} is empty`, 1);
  if (root.type !== 'object') {
    throw new ManifestParseError(`${what} must be a JSON object, found ${root.type}`, 1);
  }
  return { root, lines };
}

/** The value node of `key` in an object node (the last one, as JSON.parse would keep). */
export function property(object: Node | undefined, key: string): Node | undefined {
  if (!object || object.type !== 'object' || !object.children) return undefined;
  let found: Node | undefined;
  for (const prop of object.children) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (keyNode?.value === key) found = valueNode;
  }
  return found;
}

export function stringProperty(object: Node | undefined, key: string): string | undefined {
  const node = property(object, key);
  return node?.type === 'string' ? (node.value as string) : undefined;
}

/** `[key, value node, key offset]` for each member of an object node. */
export function* members(object: Node | undefined): Generator<[string, Node, number]> {
  if (!object || object.type !== 'object' || !object.children) return;
  for (const prop of object.children) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (keyNode && valueNode) yield [keyNode.value as string, valueNode, keyNode.offset];
  }
}
