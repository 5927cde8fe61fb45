// Jinja statements nunjucks parses differently or not at all: a loop's filter
// (`{% for x in xs if x.on %}`), its `loop.cycle`, `loop.previtem` and `loop.nextitem`, tuple
// unpacking (`{% set a, b = 1, 2 %}`), a namespace's attribute (`{% set ns.total = ns.total + x %}`)
// and `{% with a = 1 %}…{% endwith %}`.
import { PyError, isDict } from '../../source/python.js';
import { splitKw } from './methods.js';

type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeClass = { new (lineno: number, colno: number, ...a: unknown[]): Node; extend(name: string, props?: object): NodeClass };
type Token = { type: string; value: string; lineno: number; colno: number };
type Frame = { push(): Frame; set(name: string, id: string): void };
type Parser = {
  peekToken(): Token;
  skip(t: string): boolean;
  skipSymbol(s: string): boolean;
  skipValue(t: string, v: string): boolean;
  parsePrimary(): Node;
  parseExpression(): Node;
  parseUntilBlocks(...names: string[]): Node;
  advanceAfterBlockEnd(name?: string): void;
  fail(m: string, l?: number, c?: number): never;
};
type Compiler = { compile(n: unknown, f: unknown): void; _emit(s: string): void; _emitLine(s: string): void; _compileExpression(n: unknown, f: unknown): void; _tmpid(): string };

/** Jinja's namespace() objects: the only ones `{% set ns.x = … %}` may change. */
const NAMESPACES = new WeakSet<object>();

/** Jinja's namespace(…): a mapping of its keyword arguments (and of a mapping given first). */
export function namespace(...a: unknown[]): Record<string, unknown> {
  const [args, kw] = splitKw(a);
  const ns = { ...(isDict(args[0]) ? args[0] : {}), ...kw };
  NAMESPACES.add(ns);
  return ns;
}

/** The runtime of these statements (`runtime.py.unpack`, `runtime.py.setAttr`). */
export const statementRuntime = {
  /** `{% set a, b = v %}`: v's items, as many as there are names (Python's unpacking). */
  unpack(v: unknown, n: number): unknown[] {
    const items = typeof v === 'string' ? [...v] : Array.isArray(v) ? v : isDict(v) ? Object.keys(v) : undefined;
    if (!items) throw new PyError('TypeError', 'cannot unpack non-iterable object');
    if (items.length !== n) throw new PyError('ValueError', items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`);
    return items;
  },
  /** `{% set ns.x = v %}`: only a namespace's attribute can be set, in place. */
  setAttr(target: unknown, name: string, v: unknown): void {
    if (typeof target !== 'object' || target === null || !NAMESPACES.has(target)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    (target as Record<string, unknown>)[name] = v;
  },
};

export function patchStatements(nodes: Record<string, NodeClass>, Tuple: NodeClass, P: Record<string, unknown>, C: Record<string, unknown>): void {
  // a JavaScript variable the compiled code already holds, as an expression
  const Raw = nodes.Literal.extend('AgriRaw');
  C.compileAgriRaw = function (this: Compiler, node: Node) {
    this._emit(String(node.value));
  };

  // `for x in xs if cond`: nunjucks parsed `xs if cond` as a conditional expression without else
  const originalFor = C.compileFor as (this: Compiler, n: Node, f: Frame) => void;
  C.compileFor = function (this: Compiler, node: Node, frame: Frame) {
    const arr = node.arr as Node;
    if (arr.typename === 'InlineIf' && arr.else_ === null) {
      const kept = this._tmpid();
      const names = (node.name as Node).typename === 'Array' ? ((node.name as Node).children as Node[]) : [node.name as Node];
      const src = this._tmpid();
      const j = this._tmpid();
      this._emit(`var ${src} = runtime.fromIterator(runtime.py.iter(`);
      this._compileExpression(arr.body, frame);
      this._emitLine(`, ${names.length > 1})); var ${kept} = [];`);
      this._emitLine(`frame = frame.push(); for (var ${j} = 0; ${j} < ${src}.length; ${j}++) {`);
      const inner = frame.push();
      names.forEach((n, u) => {
        const id = this._tmpid();
        this._emitLine(`var ${id} = ${names.length > 1 ? `${src}[${j}][${u}]` : `${src}[${j}]`}; frame.set(${JSON.stringify(n.value)}, ${id});`);
        inner.set(String(n.value), id);
      });
      this._emit('if (runtime.py.truthy(');
      this._compileExpression(arr.cond, inner);
      this._emitLine(`)) ${kept}.push(${src}[${j}]); } frame = frame.pop();`);
      node.arr = new Raw(arr.lineno, arr.colno, kept);
    }
    originalFor.call(this, node, frame);
  };

  // loop.previtem, loop.nextitem and loop.cycle(…) beside nunjucks' index, first, last, length
  const originalBindings = C._emitLoopBindings as (this: Compiler, n: Node, arr: string, i: string, len: string) => void;
  C._emitLoopBindings = function (this: Compiler, node: Node, arr: string, i: string, len: string) {
    originalBindings.call(this, node, arr, i, len);
    this._emitLine(`if (runtime.isArray(${arr})) { frame.set("loop.previtem", ${i} > 0 ? ${arr}[${i} - 1] : undefined); frame.set("loop.nextitem", ${i} < ${len} - 1 ? ${arr}[${i} + 1] : undefined); }`);
    this._emitLine(`frame.set("loop.cycle", ((n) => (...a) => { if (!a.length) throw new Error("no items for cycling given"); return a[n % a.length]; })(${i}));`);
  };

  // `set a, b = …` unpacks (nunjucks gave each name the whole value); `set ns.x = …` sets an attribute
  const originalSet = C.compileSet as (this: Compiler, n: Node, f: Frame) => void;
  C.compileSet = function (this: Compiler, node: Node, frame: Frame) {
    const targets = node.targets as Node[];
    if (targets.length === 1 && targets[0].typename === 'LookupVal' && node.value) {
      const t = targets[0];
      this._emit('runtime.py.setAttr(');
      this._compileExpression(t.target, frame);
      this._emit(', ');
      this._compileExpression(t.val, frame);
      this._emit(', ');
      this._compileExpression(node.value, frame);
      this._emitLine(');');
      return;
    }
    if (targets.length < 2 || !node.value) return originalSet.call(this, node, frame);
    const all = this._tmpid();
    this._emit(`var ${all} = runtime.py.unpack(`);
    this._compileExpression(node.value, frame);
    this._emitLine(`, ${targets.length});`);
    targets.forEach((t, i) => originalSet.call(this, { ...node, targets: [t], value: new Raw(node.lineno, node.colno, `${all}[${i}]`) }, frame));
  };

  // (its value a tuple where commas part several: `set a, b = 1, 2`, as Jinja's parse_tuple)
  P.parseSet = function (this: Parser) {
    const tag = this.peekToken();
    if (!this.skipSymbol('set')) this.fail('parseSet: expected set', tag.lineno, tag.colno);
    const node = new nodes.Set(tag.lineno, tag.colno, []);
    const targets = node.targets as Node[];
    do targets.push(this.parsePrimary());
    while (this.skip('comma'));
    if (!this.skipValue('operator', '=')) {
      if (!this.skip('block-end')) this.fail('parseSet: expected = or block end in set tag', tag.lineno, tag.colno);
      node.body = new nodes.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
      node.value = null;
      this.advanceAfterBlockEnd();
      return node;
    }
    const first = this.parseExpression();
    if (this.peekToken().type !== 'comma') node.value = first;
    else {
      const items = [first];
      while (this.skip('comma') && this.peekToken().type !== 'block-end') items.push(this.parseExpression());
      node.value = Object.assign(new Tuple(first.lineno, first.colno), { children: items });
    }
    this.advanceAfterBlockEnd(tag.value);
    return node;
  };

  // {% with a = 1, b = x %}…{% endwith %}: names of the block's own, their values from the scope around it
  const With = nodes.Node.extend('AgriWith', { fields: ['targets', 'values', 'body'] });
  const originalStatement = P.parseStatement as (this: Parser) => Node;
  P.parseStatement = function (this: Parser) {
    const tok = this.peekToken();
    if (tok.type !== 'symbol' || tok.value !== 'with' || !this.skipSymbol('with')) return originalStatement.call(this);
    const node = new With(tok.lineno, tok.colno);
    const targets: Node[] = [];
    const values: Node[] = [];
    while (this.peekToken().type !== 'block-end') {
      if (targets.length && !this.skip('comma')) this.fail('expected comma in with', tok.lineno, tok.colno);
      targets.push(this.parsePrimary());
      if (!this.skipValue('operator', '=')) this.fail('expected = in with', tok.lineno, tok.colno);
      values.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd('with');
    node.targets = targets;
    node.values = values;
    node.body = this.parseUntilBlocks('endwith');
    this.advanceAfterBlockEnd();
    return node;
  };
  C.compileAgriWith = function (this: Compiler, node: Node, frame: Frame) {
    const ids = (node.values as Node[]).map((v) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this._compileExpression(v, frame);
      this._emitLine(';');
      return id;
    });
    const inner = frame.push();
    this._emitLine('frame = frame.push();');
    (node.targets as Node[]).forEach((t, i) => {
      this._emitLine(`frame.set(${JSON.stringify(t.value)}, ${ids[i]});`);
      inner.set(String(t.value), ids[i]);
    });
    this.compile(node.body, inner);
    this._emitLine('frame = frame.pop();');
  };
}
