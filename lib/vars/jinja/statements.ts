// Jinja statements nunjucks parses differently or not at all: a loop's filter
// (`{% for x in xs if x.on %}`), recursive loops (`{% for x in tree recursive %}…{{ loop(x.kids) }}`),
// `loop.cycle`, `loop.changed`, `loop.previtem`, `loop.nextitem` and `loop.depth`, tuple unpacking
// (`{% set a, b = 1, 2 %}`), a namespace's attribute (`{% set ns.total = ns.total + x %}`),
// `{% with a = 1 %}…{% endwith %}`, and a macro's `varargs` and `kwargs`.
import { PyError, eq, isDict, tuple } from '../../source/python.js';
import { splitKw } from './methods.js';
import { patchRaw } from './raw-block.js';
import { unpack } from '../../source/pyvalues.js';

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

/** Jinja's cycler(*items): `current` is the item `next()` gives next, from the first. */
export class Cycler {
  private pos = 0;
  constructor(private readonly items: unknown[]) {
    if (!items.length) throw new PyError('RuntimeError', 'at least one item has to be provided');
  }
  get current(): unknown {
    return this.items[this.pos];
  }
  next(): unknown {
    const rv = this.current;
    this.pos = (this.pos + 1) % this.items.length;
    return rv;
  }
  reset(): null {
    this.pos = 0;
    return null;
  }
  /** str() of it, as Python's default repr names the class (no address here). */
  toString(): string {
    return '<jinja2.utils.Cycler object>';
  }
  /** Its attributes as a template reads them (methods bound to it). */
  pyAttr(name: string): unknown {
    return name === 'current' ? this.current : name === 'next' ? () => this.next() : name === 'reset' ? () => this.reset() : name === 'items' ? tuple(this.items) : undefined;
  }
}

/** Jinja's joiner(sep=', '): '' the first time it is called, `sep` after. */
export function joiner(sep: unknown = ', '): () => unknown {
  let used = false;
  return () => (used ? sep : ((used = true), ''));
}

/** Each loop's last `loop.changed` arguments, by the list it iterates. */
const CHANGED = new WeakMap<object, { last: unknown[] | undefined }>();

/** The runtime of these statements (`runtime.py.unpack`, `runtime.py.loopChanged`, …). */
export const statementRuntime = {
  /** `{% set a, b = v %}`: v's items, as many as there are names (Python's unpacking). */
  unpack,
  /** `loop.changed(…)`: whether its arguments differ from the last call's in this loop (reset at its first item). */
  loopChanged(arr: object, i: number): (...v: unknown[]) => boolean {
    let st = CHANGED.get(arr);
    if (!st || i === 0) CHANGED.set(arr, (st = { last: undefined }));
    const state = st;
    return (...v) => {
      if (state.last !== undefined && eq(v, state.last)) return false;
      state.last = v;
      return true;
    };
  },
  /** `loop(items)` in a recursive loop: the loop's body over those items, one level deeper. */
  recurse(loop: unknown, args: unknown[]): unknown {
    const f = (loop as { __agriRecurse?: (items: unknown) => string } | undefined)?.__agriRecurse;
    if (typeof f !== 'function') throw new PyError('TypeError', "'LoopContext' object is not callable");
    return f(args[0]);
  },
  /** `{% set ns.x = v %}`: only a namespace's attribute can be set, in place. */
  setAttr(target: unknown, name: string, v: unknown): void {
    if (typeof target !== 'object' || target === null || !NAMESPACES.has(target)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    (target as Record<string, unknown>)[name] = v;
  },
};

export function patchStatements(nodes: Record<string, NodeClass>, Tuple: NodeClass, P: Record<string, unknown>, C: Record<string, unknown>, R: Record<string, unknown>): void {
  patchMacroArgs(C, R);
  patchRaw(nodes, P);
  // a JavaScript variable the compiled code already holds, as an expression
  const Raw = nodes.Literal.extend('AgriRaw');
  C.compileAgriRaw = function (this: Compiler, node: Node) {
    this._emit(String(node.value));
  };

  // `{% for x in xs recursive %}`: the word after the sequence
  const originalParseFor = P.parseFor as (this: Parser) => Node;
  P.parseFor = function (this: Parser & { advanceAfterBlockEnd(name?: string): void }) {
    let recursive = false;
    this.advanceAfterBlockEnd = function (this: Parser, name?: string) {
      delete (this as Partial<Parser>).advanceAfterBlockEnd;
      recursive = this.skipSymbol('recursive');
      return this.advanceAfterBlockEnd(name);
    };
    try {
      const node = originalParseFor.call(this);
      // (the sequence is parse_tuple(with_condexpr=False), its `if` the loop's filter: `for x in a if b else c` is Jinja's syntax error)
      const arr = node.arr as Node;
      if (arr.typename === 'InlineIf' && arr.else_ !== null) this.fail("expected token 'end of statement block', got 'else'", arr.lineno, arr.colno);
      return Object.assign(node, recursive ? { recursive } : {});
    } finally {
      delete (this as Partial<Parser>).advanceAfterBlockEnd;
    }
  };

  // a recursive loop is a function of its items and depth; `loop(items)` calls it (_emitLoopBindings)
  const compileRecursive = function (this: Compiler & { buffer: string; _pushBuffer(): string; _popBuffer(): void }, node: Node, frame: Frame) {
    const [fn, items, depth] = [this._tmpid(), this._tmpid(), this._tmpid()];
    const arr = node.arr as Node;
    const filtered = arr.typename === 'InlineIf' && arr.else_ === null;
    this._emitLine(`var ${fn} = function (${items}, ${depth}) {`);
    const buffer = this._pushBuffer();
    const raw = new Raw(arr.lineno, arr.colno, items);
    // (the loop's filter applies at every depth)
    const inner = { ...node, recursive: false, agriFn: fn, agriDepth: depth, arr: filtered ? Object.assign(Object.create(Object.getPrototypeOf(arr) as object) as Node, arr, { body: raw }) : raw };
    (C.compileFor as (this: Compiler, n: Node, f: Frame) => void).call(this, inner as Node, frame);
    this._emitLine(`return ${buffer}; };`);
    this._popBuffer();
    this._emit(`${this.buffer} += runtime.suppressValue(${fn}(`);
    this._compileExpression(filtered ? arr.body : arr, frame);
    this._emitLine(', 1), env.opts.autoescape);');
  };

  // `for x in xs if cond`: nunjucks parsed `xs if cond` as a conditional expression without else
  const originalFor = C.compileFor as (this: Compiler, n: Node, f: Frame) => void;
  C.compileFor = function (this: Compiler, node: Node, frame: Frame) {
    if (node.recursive) return compileRecursive.call(this as never, node, frame);
    const arr = node.arr as Node;
    if (arr.typename === 'InlineIf' && arr.else_ === null) {
      const kept = this._tmpid();
      const names = (node.name as Node).typename === 'Array' ? ((node.name as Node).children as Node[]) : [node.name as Node];
      const src = this._tmpid();
      const j = this._tmpid();
      this._emit(`var ${src} = runtime.fromIterator(runtime.py.iter(`);
      this._compileExpression(arr.body, frame);
      this._emitLine(`, ${names.length})); var ${kept} = [];`);
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
    // (a recursive loop's `loop` carries the call: loop.index and the rest stay its attributes)
    if (node.agriFn) this._emitLine(`frame.set("loop.__agriRecurse", (a) => ${node.agriFn}(a, ${node.agriDepth} + 1)); frame.set("loop.depth", ${node.agriDepth}); frame.set("loop.depth0", ${node.agriDepth} - 1);`);
    else this._emitLine('frame.set("loop.depth", 1); frame.set("loop.depth0", 0);');
    originalBindings.call(this, node, arr, i, len);
    this._emitLine(`frame.set("loop.changed", runtime.py.loopChanged(${arr}, ${i}));`);
    this._emitLine(`if (runtime.isArray(${arr})) { frame.set("loop.previtem", ${i} > 0 ? ${arr}[${i} - 1] : undefined); frame.set("loop.nextitem", ${i} < ${len} - 1 ? ${arr}[${i} + 1] : undefined); }`);
    this._emitLine(`frame.set("loop.cycle", ((n) => (...a) => { if (!a.length) throw new Error("no items for cycling given"); return a[n % a.length]; })(${i}));`);
  };

  // `loop(x.children)` in a recursive loop
  const originalCall = C.compileFunCall as (this: Compiler, n: Node, f: Frame) => void;
  C.compileFunCall = function (this: Compiler & { _compileAggregate(n: unknown, f: unknown, a: string, b: string): void }, node: Node, frame: Frame) {
    const name = node.name as Node;
    if (name.typename !== 'Symbol' || name.value !== 'loop') return originalCall.call(this, node, frame);
    this._emit('runtime.py.recurse(');
    this._compileExpression(name, frame);
    this._emit(', ');
    this._compileAggregate(node.args, frame, '[', ']');
    this._emit(')');
  };

  // `set a, b = …` unpacks (nunjucks gave each name the whole value); `set ns.x = …` sets an attribute
  const originalSet = C.compileSet as (this: Compiler, n: Node, f: Frame) => void;
  C.compileSet = function (this: Compiler, node: Node, frame: Frame) {
    const targets = node.targets as Node[];
    if (targets.length === 1 && targets[0].typename === 'LookupVal') {
      const t = targets[0];
      this._emit('runtime.py.setAttr(');
      this._compileExpression(t.target, frame);
      this._emit(', ');
      this._compileExpression(t.val, frame);
      this._emit(', ');
      // (`{% set ns.x %}…{% endset %}`: the block's text)
      if (node.value) this._compileExpression(node.value, frame);
      else this.compile(node.body, frame);
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
    do {
      const t = this.parsePrimary();
      // (a name or a namespace's attribute: Jinja's parse_assign_target)
      if (t.typename !== 'Symbol' && t.typename !== 'LookupVal') this.fail(`can't assign to '${t.typename === 'Literal' ? 'const' : t.typename.toLowerCase()}'`, t.lineno, t.colno);
      targets.push(t);
    } while (this.skip('comma'));
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

type Kw = Record<string, unknown> & { __keywords?: boolean };
const isKw = (a: unknown): a is Kw => typeof a === 'object' && a !== null && (a as Kw).__keywords === true;

/**
 * A macro's `varargs` and `kwargs`: the positional arguments after its parameters and the keyword
 * arguments it names none of (nunjucks dropped both).
 */
function patchMacroArgs(C: Record<string, unknown>, R: Record<string, unknown>): void {
  type MakeMacro = (argNames: string[], kwargNames: string[], f: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown;
  const makeMacro = R.makeMacro as MakeMacro;
  R.makeMacro = (argNames: string[], kwargNames: string[], f: (...a: unknown[]) => unknown) => {
    const macro = makeMacro(argNames, kwargNames, f);
    const named = new Set([...argNames, ...kwargNames, 'caller', '__keywords']);
    const n = argNames.length + kwargNames.length;
    return function (this: unknown, ...a: unknown[]) {
      const kw = isKw(a[a.length - 1]) ? (a.pop() as Kw) : undefined;
      const extra = Object.fromEntries(Object.entries(kw ?? {}).filter(([k]) => !named.has(k)));
      return macro.call(this, ...a.slice(0, n), { ...kw, __keywords: true, __agriVarargs: tuple(a.slice(n)), __agriKwargs: extra });
    };
  };
  // (the macro's function begins with its frame: varargs and kwargs go in it, where its arguments go)
  const compileMacro = C._compileMacro as (this: Compiler, n: unknown, f: unknown) => string;
  C._compileMacro = function (this: Compiler & { _emitLines(...l: string[]): void }, node: unknown, frame: unknown) {
    const emitLines = this._emitLines;
    this._emitLines = function (this: Compiler & { _emitLines(...l: string[]): void }, ...lines: string[]) {
      delete (this as Partial<typeof this>)._emitLines;
      emitLines.call(this, ...lines, 'frame.set("varargs", kwargs.__agriVarargs || []); frame.set("kwargs", kwargs.__agriKwargs || {});');
    };
    try {
      return compileMacro.call(this, node, frame);
    } finally {
      delete (this as Partial<typeof this>)._emitLines;
    }
  };
}
