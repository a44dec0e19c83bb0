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
    readonly endIndex: number,
    readonly startPosition: { row: number; column: number },
    private readonly source: string,
  ) {}

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

export interface PyAst {
  root: PyNode;
  hasError: boolean;
  nodeCount: number;
}

/** Copies a tree-sitter tree into PyNodes in one cursor pass. */
export function copyTree(tree: Tree, source: string): PyAst {
  const cursor = tree.rootNode.walk();
  let nextId = 1;
  const make = (): PyNode =>
    new PyNode(
      nextId++,
      cursor.nodeType,
      cursor.nodeIsNamed,
      cursor.startIndex,
      cursor.endIndex,
      cursor.startPosition,
      source,
    );
  const root = make();
  let current = root;
  let done = false;
  while (!done) {
    if (cursor.gotoFirstChild()) {
      const child = make();
      child.parent = current;
      current.children.push(child);
      current.fields.push(cursor.currentFieldName);
      current = child;
      continue;
    }
    for (;;) {
      if (cursor.gotoNextSibling()) {
        const parent = current.parent as PyNode;
        const sibling = make();
        sibling.parent = parent;
        parent.children.push(sibling);
        parent.fields.push(cursor.currentFieldName);
        current = sibling;
        break;
      }
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      current = current.parent as PyNode;
    }
  }
  cursor.delete();
  return { root, hasError: tree.rootNode.hasError, nodeCount: nextId - 1 };
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
