import type { Tree } from './parser.js';

/**
 * A plain-JavaScript copy of a tree-sitter syntax tree. Every property access on a web-tree-sitter
 * node crosses into WASM and allocates; rules look at the same nodes many times, so copying the
 * tree once with a cursor is several times faster than walking the WASM tree repeatedly.
 * The method names follow tree-sitter's Node so code reads the same.
 */
export class PyNode {
  readonly children: PyNode[] = [];
  readonly fields: (string | null)[] = [];
  parent: PyNode | null = null;
  private named?: PyNode[];

  constructor(
    readonly id: number,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    /** Set by copyTree: for leaves from tree-sitter, for inner nodes from their last child. */
    public endIndex: number,
    private readonly lines: LineTable,
  ) {}

  private get source(): string {
    return this.lines.source;
  }

  /** Row and column, computed on demand: asking tree-sitter for them per node is costly. */
  get startPosition(): { row: number; column: number } {
    const row = this.lines.rowOf(this.startIndex);
    return { row, column: this.startIndex - this.lines.starts[row] };
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): PyNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  child(index: number): PyNode | null {
    return this.children[index] ?? null;
  }

  childForFieldName(name: string): PyNode | null {
    const i = this.fields.indexOf(name);
    return i < 0 ? null : this.children[i];
  }

  childrenForFieldName(name: string): PyNode[] {
    return this.children.filter((_, i) => this.fields[i] === name);
  }
}

/** Line starts of a source, shared by every node of its tree. */
export class LineTable {
  readonly starts: Uint32Array;

  constructor(readonly source: string) {
    const starts = [0];
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = Uint32Array.from(starts);
  }

  /** 0-based row of a character offset. */
  rowOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export interface PyAst {
  root: PyNode;
  hasError: boolean;
  nodeCount: number;
}

/**
 * Copies a tree-sitter tree into PyNodes in one cursor pass. Each cursor getter crosses into
 * WASM, so the pass asks only what it cannot derive: type id (names and namedness come from
 * per-language tables), start, field id, and the end of leaves (an inner node ends where its
 * last child ends).
 */
export function copyTree(tree: Tree, source: string): PyAst {
  const cursor = tree.rootNode.walk();
  const language = tree.language;
  const lines = new LineTable(source);
  const named = namedTypes(language);
  let nextId = 1;
  const make = (): PyNode => {
    const typeId = cursor.nodeTypeId;
    let isNamed = named.get(typeId);
    if (isNamed === undefined) named.set(typeId, (isNamed = language.nodeTypeIsNamed(typeId)));
    const type = language.types[typeId] || 'ERROR';
    const end = TOKENS_WITH_CHILDREN.has(type) ? cursor.endIndex : -1;
    return new PyNode(nextId++, type, isNamed, cursor.startIndex, end, lines);
  };
  const fieldName = (): string | null => language.fields[cursor.currentFieldId] ?? null;
  const root = make();
  root.endIndex = tree.rootNode.endIndex;
  let current = root;
  let done = false;
  while (!done) {
    if (cursor.gotoFirstChild()) {
      const child = make();
      child.parent = current;
      current.children.push(child);
      current.fields.push(fieldName());
      current = child;
      continue;
    }
    // a leaf: the only nodes whose end tree-sitter must tell
    if (current.endIndex < 0) current.endIndex = cursor.endIndex;
    for (;;) {
      if (cursor.gotoNextSibling()) {
        const parent = current.parent as PyNode;
        const sibling = make();
        sibling.parent = parent;
        parent.children.push(sibling);
        parent.fields.push(fieldName());
        current = sibling;
        break;
      }
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      const parent = current.parent as PyNode;
      if (parent.endIndex < 0) parent.endIndex = current.endIndex;
      current = parent;
    }
  }
  cursor.delete();
  return { root, hasError: tree.rootNode.hasError, nodeCount: nextId - 1 };
}

/**
 * Tokens of the external scanner that hold children (escapes, interpolations) but extend past
 * the last of them: their end cannot be derived.
 */
const TOKENS_WITH_CHILDREN = new Set(['string_content', 'format_specifier']);

const namedByLanguage = new WeakMap<object, Map<number, boolean>>();

function namedTypes(language: object): Map<number, boolean> {
  let map = namedByLanguage.get(language);
  if (!map) namedByLanguage.set(language, (map = new Map()));
  return map;
}

/** Depth-first pre-order walk. */
export function forEachNode(root: PyNode, visit: (node: PyNode) => void): void {
  const stack: PyNode[] = [root];
  while (stack.length) {
    const node = stack.pop() as PyNode;
    visit(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
}
