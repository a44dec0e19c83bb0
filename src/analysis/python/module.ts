import type { PyAst, PyNode as SyntaxNode } from './ast.js';
import { callArguments, forEachNode, stringLiteral } from './syntax.js';

/**
 * Scope-aware name resolution over one Python file: which module or builtin a name refers to
 * (`import base64 as b`, `from os import system as s`, `x = __import__('os')`,
 * `getattr(__builtins__, 'exec')`, `globals()['ex'+'ec']`), and what each local name was assigned,
 * so the evaluator can fold constants through variables.
 */

export type Binding =
  | { kind: 'import'; target: string }
  | { kind: 'value'; node: SyntaxNode }
  | { kind: 'augment'; node: SyntaxNode }
  | { kind: 'def'; node: SyntaxNode }
  | { kind: 'param'; node: SyntaxNode };

const BUILTIN_CONTAINERS = new Set(['builtins', '__builtins__', '__builtin__']);

/** Callables that return a module object for a module name given as a string. */
const MODULE_LOADERS = new Set(['__import__', 'importlib.import_module', 'importlib.__import__']);

/** Mapping objects whose string keys are builtins or module globals. */
const NAMESPACE_CALLS = new Set([
  'globals()',
  'locals()',
  'vars()',
  'vars(builtins)',
  'builtins.__dict__',
]);

const MODULE_SCOPE = 0;

export class PyModule {
  readonly ast: PyAst;
  readonly source: string;
  /** Scope id (function node id, or 0 for the module) → name → bindings in source order. */
  private readonly scopes = new Map<number, Map<string, Binding[]>>();
  /** Modules star-imported per scope (`from os import *`). */
  private readonly starImports = new Map<number, string[]>();
  readonly functions = new Map<string, SyntaxNode[]>();
  readonly classes = new Map<string, SyntaxNode>();
  readonly calls: SyntaxNode[] = [];
  readonly strings: SyntaxNode[] = [];
  readonly attributes: SyntaxNode[] = [];
  readonly imports: { module: string; node: SyntaxNode }[] = [];
  /** Folding hook: set by the evaluator so qualify() can read computed keys like 'ex'+'ec'. */
  foldString: (node: SyntaxNode) => string | undefined = (node) =>
    node.type === 'string' ? stringLiteral(node)?.value : undefined;
  private qualifyDepth = 0;
  private readonly qualified = new Map<number, string | null>();

  constructor(ast: PyAst, source: string) {
    this.ast = ast;
    this.source = source;
    forEachNode(ast.root, (node) => this.index(node));
  }

  private index(node: SyntaxNode): void {
    switch (node.type) {
      case 'call':
        this.calls.push(node);
        break;
      case 'string':
        if (node.parent?.type !== 'concatenated_string') this.strings.push(node);
        break;
      case 'concatenated_string':
        this.strings.push(node);
        break;
      case 'attribute':
        this.attributes.push(node);
        break;
      case 'import_statement':
        for (const name of node.childrenForFieldName('name')) {
          if (name.type === 'aliased_import') {
            const target = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (target && alias) this.bind(node, alias, { kind: 'import', target });
            if (target) this.imports.push({ module: target, node });
          } else {
            const first = name.text.split('.')[0];
            this.bind(node, first, { kind: 'import', target: first });
            this.imports.push({ module: name.text, node });
          }
        }
        break;
      case 'import_from_statement': {
        const moduleNode = node.childForFieldName('module_name');
        const module = moduleNode?.text ?? '';
        const wildcard = node.namedChildren.some((c) => c.type === 'wildcard_import');
        if (wildcard) {
          const scope = this.scopeOf(node);
          this.starImports.set(scope, [...(this.starImports.get(scope) ?? []), module]);
        }
        this.imports.push({ module, node });
        for (const name of node.childrenForFieldName('name')) {
          if (name.type === 'aliased_import') {
            const target = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (target && alias)
              this.bind(node, alias, { kind: 'import', target: join(module, target) });
          } else {
            this.bind(node, name.text, { kind: 'import', target: join(module, name.text) });
          }
        }
        break;
      }
      case 'assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right) this.bindTargets(node, left, right);
        break;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right)
          this.bind(node, left.text, { kind: 'augment', node: right });
        break;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (name && value) this.bind(node, name.text, { kind: 'value', node: value });
        break;
      }
      case 'as_pattern': {
        const value = node.namedChildren[0];
        const alias = node.childForFieldName('alias');
        const id = alias?.namedChildren[0] ?? alias;
        if (value && id?.type === 'identifier' && node.parent?.type === 'with_item') {
          this.bind(node, id.text, { kind: 'value', node: value });
        }
        break;
      }
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) {
          this.functions.set(name, [...(this.functions.get(name) ?? []), node]);
          this.bind(node, name, { kind: 'def', node });
        }
        const params = node.childForFieldName('parameters');
        for (const p of params?.namedChildren ?? []) {
          const id =
            p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren[0]);
          if (id?.type === 'identifier') this.bindIn(node.id, id.text, { kind: 'param', node: p });
        }
        break;
      }
      case 'class_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) {
          this.classes.set(name, node);
          this.bind(node, name, { kind: 'def', node });
        }
        break;
      }
    }
  }

  private bindTargets(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode): void {
    if (left.type === 'identifier') {
      this.bind(node, left.text, { kind: 'value', node: right });
      return;
    }
    if (
      (left.type === 'pattern_list' || left.type === 'tuple_pattern') &&
      (right.type === 'expression_list' || right.type === 'tuple')
    ) {
      const targets = left.namedChildren;
      const values = right.namedChildren;
      if (targets.length === values.length) {
        targets.forEach((t, i) => {
          if (t.type === 'identifier') this.bind(node, t.text, { kind: 'value', node: values[i] });
        });
      }
    }
    if (right.type === 'assignment') {
      // a = b = value: both names take the innermost value
      let inner: SyntaxNode = right;
      while (inner.type === 'assignment') inner = inner.childForFieldName('right') ?? inner;
      if (left.type === 'identifier') this.bind(node, left.text, { kind: 'value', node: inner });
    }
  }

  private bind(at: SyntaxNode, name: string, binding: Binding): void {
    this.bindIn(this.scopeOf(at), name, binding);
  }

  private bindIn(scope: number, name: string, binding: Binding): void {
    let names = this.scopes.get(scope);
    if (!names) this.scopes.set(scope, (names = new Map()));
    names.set(name, [...(names.get(name) ?? []), binding]);
  }

  /** Function that owns the name bindings made at `node` (the module when none). */
  scopeOf(node: SyntaxNode): number {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'function_definition' || p.type === 'lambda') {
        // a def's own name is bound in the enclosing scope
        if (node.type === 'function_definition' && p.id === node.id) continue;
        return p.id;
      }
    }
    return MODULE_SCOPE;
  }

  /** Bindings visible for `name` at `node`, innermost scope first. */
  bindings(name: string, at: SyntaxNode): Binding[] {
    for (let p: SyntaxNode | null = at; p; p = p.parent) {
      if (p.type === 'function_definition' || p.type === 'lambda') {
        const found = this.scopes.get(p.id)?.get(name);
        if (found) return found;
      }
    }
    return this.scopes.get(MODULE_SCOPE)?.get(name) ?? [];
  }

  private starModuleFor(at: SyntaxNode): string[] {
    const out: string[] = [...(this.starImports.get(MODULE_SCOPE) ?? [])];
    for (let p: SyntaxNode | null = at; p; p = p.parent) {
      if (p.type === 'function_definition') out.push(...(this.starImports.get(p.id) ?? []));
    }
    return out;
  }

  /**
   * Canonical dotted name of an expression used as a callee or value: `b.b64decode` →
   * `base64.b64decode`, `s` → `os.system`, `__import__('os').system` → `os.system`,
   * `getattr(__builtins__, 'exec')` → `exec`; a call's result is written `name()`.
   */
  qualify(node: SyntaxNode | null | undefined): string | undefined {
    if (!node || this.qualifyDepth > 12) return undefined;
    // names rebound many times (`node = node.parent` in a loop) branch at every binding: without
    // remembering answers, one expression can take minutes (nltk did)
    const known = this.qualified.get(node.id);
    if (known !== undefined) return known ?? undefined;
    this.qualified.set(node.id, null); // cycle guard
    this.qualifyDepth++;
    try {
      const result = this.qualifyInner(node);
      this.qualified.set(node.id, result ?? null);
      return result;
    } finally {
      this.qualifyDepth--;
    }
  }

  /** Forget remembered names: the folding hook changed, so computed keys may now resolve. */
  resetQualified(): void {
    this.qualified.clear();
  }

  private qualifyInner(node: SyntaxNode): string | undefined {
    switch (node.type) {
      case 'identifier':
        return this.qualifyName(node.text, node);
      case 'parenthesized_expression':
        return this.qualify(node.namedChildren[0]);
      case 'attribute': {
        const object = this.qualify(node.childForFieldName('object'));
        const attr = node.childForFieldName('attribute')?.text;
        if (!object || !attr) return undefined;
        if (BUILTIN_CONTAINERS.has(object)) return attr;
        // `__import__('urllib.request')` returns `urllib`, so `.request` names the submodule
        // that the qualified name already ends with
        if (object.endsWith(`.${attr}`) && this.fromDottedImport(node.childForFieldName('object')))
          return object;
        return `${object}.${attr}`;
      }
      case 'call': {
        const callee = this.qualify(node.childForFieldName('function'));
        if (!callee) return undefined;
        const args = callArguments(node);
        if (MODULE_LOADERS.has(callee) && args.positional[0]) {
          const name = this.foldString(args.positional[0]);
          if (name) return name;
        }
        // eval('exec') / eval('__import__("os").system') evaluate to the named object
        if (callee === 'eval' && args.positional[0]) {
          const name = this.foldString(args.positional[0])?.trim();
          if (name && /^[A-Za-z_][\w.]*$/.test(name)) return this.qualifyName(name, node);
        }
        if (callee === 'getattr' && args.positional.length >= 2) {
          const object = this.qualify(args.positional[0]);
          const attr = this.foldString(args.positional[1]);
          if (attr && object && (BUILTIN_CONTAINERS.has(object) || NAMESPACE_CALLS.has(object)))
            return attr;
          if (attr && object) return `${object}.${attr}`;
          return undefined;
        }
        if (callee === 'vars' && args.positional[0]) {
          const inner = this.qualify(args.positional[0]);
          return inner && BUILTIN_CONTAINERS.has(inner) ? 'vars(builtins)' : undefined;
        }
        return `${callee}()`;
      }
      case 'subscript': {
        const value = this.qualify(node.childForFieldName('value'));
        const key = node.childForFieldName('subscript');
        if (!value || !key) return undefined;
        if (
          BUILTIN_CONTAINERS.has(value) ||
          NAMESPACE_CALLS.has(value) ||
          value.endsWith('.__dict__') ||
          value === 'sys.modules'
        ) {
          const name = this.foldString(key);
          if (name) return value === 'sys.modules' ? name : name;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Whether an expression is (or names) the result of `__import__` with a dotted module name. */
  private fromDottedImport(node: SyntaxNode | null): boolean {
    if (!node) return false;
    if (node.type === 'identifier') {
      const bound = this.bindings(node.text, node);
      return (
        bound.length === 1 && bound[0].kind === 'value' && this.fromDottedImport(bound[0].node)
      );
    }
    if (node.type !== 'call') return false;
    const callee = this.qualify(node.childForFieldName('function'));
    const first = callArguments(node).positional[0];
    return callee === '__import__' && !!first && (this.foldString(first) ?? '').includes('.');
  }

  private qualifyName(dotted: string, node: SyntaxNode): string | undefined {
    const [name, ...rest] = dotted.split('.');
    const head = this.qualifyHead(name, node);
    return head && rest.length ? [head, ...rest].join('.') : head;
  }

  private qualifyHead(name: string, node: SyntaxNode): string | undefined {
    const found = this.bindings(name, node);
    if (found.length === 0) {
      for (const module of this.starModuleFor(node)) {
        if (STAR_EXPORTS[module]?.includes(name)) return `${module}.${name}`;
      }
      return name;
    }
    let result: string | undefined;
    for (const binding of found) {
      let q: string | undefined;
      if (binding.kind === 'import') q = binding.target;
      else if (binding.kind === 'value' && isNameLike(binding.node)) q = this.qualify(binding.node);
      else if (binding.kind === 'def' || binding.kind === 'param') q = name;
      else q = undefined;
      if (q === undefined) continue;
      if (result !== undefined && result !== q) return name;
      result = q;
    }
    return result ?? name;
  }

  /** Values assigned to `name` as seen from `at` (assignments and `+=` right-hand sides). */
  assignedValues(name: string, at: SyntaxNode): { node: SyntaxNode; augment: boolean }[] {
    return this.bindings(name, at)
      .filter((b) => b.kind === 'value' || b.kind === 'augment')
      .map((b) => ({ node: (b as { node: SyntaxNode }).node, augment: b.kind === 'augment' }));
  }
}

function join(module: string, name: string): string {
  if (!module || /^\.+$/.test(module)) return name;
  return `${module.replace(/^\.+/, '')}.${name}`;
}

function isNameLike(node: SyntaxNode): boolean {
  return (
    node.type === 'identifier' ||
    node.type === 'attribute' ||
    node.type === 'subscript' ||
    node.type === 'call'
  );
}

/** Names that `from M import *` brings in and that rules care about. */
const STAR_EXPORTS: Record<string, string[]> = {
  os: [
    'system',
    'popen',
    'execv',
    'execve',
    'execl',
    'execvp',
    'spawnl',
    'spawnv',
    'startfile',
    'getenv',
    'environ',
    'remove',
    'chmod',
  ],
  subprocess: [
    'Popen',
    'call',
    'run',
    'check_call',
    'check_output',
    'getoutput',
    'getstatusoutput',
    'PIPE',
    'DEVNULL',
  ],
  base64: [
    'b64decode',
    'b32decode',
    'b16decode',
    'b85decode',
    'a85decode',
    'urlsafe_b64decode',
    'decodebytes',
  ],
  zlib: ['decompress'],
  marshal: ['loads'],
  socket: ['socket', 'gethostname', 'create_connection', 'gethostbyname'],
  'urllib.request': ['urlopen', 'Request', 'urlretrieve'],
  requests: ['get', 'post'],
};
