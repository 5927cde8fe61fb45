import { patchParserEnd } from './parser-end.js';
import nunjucks from '../../source/vendor/nunjucks.js';
import { outputs, readVar } from '../kept-text.js';
import { contextVar } from '../play-context.js';
import { percentFormat } from './format.js';
import { pyMethod } from './methods.js';
import { patchStarArgs, spread } from './star-args.js';
import { patchDictLiteral } from './dict-literal.js';
import { putKey } from '../../source/pykeys.js';
import { dictKeys } from '../../source/pydict.js';
import { patchTests } from './parse-tests.js';
import { patchImports, withLocals } from './imports.js';
import { literalNumber, patchLexer } from './lexer.js';
import { patchStatements, statementRuntime } from './statements.js';
import { jinja2 } from '../../source/jinja-native.js';
import { PyError, PyFloat, UndefinedUse, unresolved, isDict, compare, contains, ops, pyType, str, truthy, tuple } from '../../source/python.js';
import { Slice, subscript } from '../../source/pysubscript.js';
import { holdsUndefined, isScalar, unpack } from '../../source/pyvalues.js';

/**
 * nunjucks parses Jinja and compiles it to JavaScript, with JavaScript's operators, truthiness and
 * member lookup. Jinja evaluates with Python's. This compiles every operator, comparison, test of
 * truth, subscript and output to the Python semantics in python.ts, and teaches the parser what
 * Jinja has and nunjucks lacks (slices, tuples, float literals). Applied once, before the first
 * template compiles.
 */

type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeClass = { new (lineno: number, colno: number, ...a: unknown[]): Node; extend(name: string, props?: object): NodeClass };
type Compiler = { compile(n: unknown, f: unknown): void; _emit(s: string): void; _compileExpression(n: unknown, f: unknown): void };
type Parser = { peekToken(): { type: string; value: string; lineno: number; colno: number }; nextToken(): { type: string; value: string; lineno: number; colno: number }; skip(t: string): boolean; parseExpression(): Node; parsePrimary(): Node; fail(m: string, l?: number, c?: number): never };

const nj = nunjucks as unknown as {
  nodes: Record<string, NodeClass>;
  lexer: Record<string, string>;
  parser: { Parser: { prototype: Record<string, unknown> } };
  compiler: { Compiler: { prototype: Record<string, unknown> } };
  runtime: Record<string, unknown>;
};

/** The runtime the compiled templates call (`runtime.py.add(a, b)`). */
export const runtimePy = {
  ...ops,
  mod: (a: unknown, b: unknown) => ops.mod(a, b, percentFormat),
  truthy,
  not: (a: unknown) => !truthy(a),
  and: (a: unknown, b: () => unknown) => (truthy(a) ? b() : a),
  or: (a: unknown, b: () => unknown) => (truthy(a) ? a : b()),
  chain(first: unknown, ...rest: unknown[]): boolean {
    let left = first;
    for (let i = 0; i < rest.length; i += 2) {
      const right = rest[i + 1];
      if (!compare(rest[i] as string, left, right)) return false;
      left = right;
    }
    return true;
  },
  contains: (item: unknown, container: unknown) => contains(container, item),
  lookup(obj: unknown, key: unknown): unknown {
    if (typeof key === 'string') {
      const m = pyMethod(obj, key);
      if (m) return m;
    }
    return subscript(obj, key);
  },
  test: (t: (...a: unknown[]) => unknown, ctx: unknown, v: unknown, args: unknown[]) => truthy(t.call(ctx, v, ...args)),
  /** What `{% for %}` iterates: a dict's keys, a string's characters; None, a number and undefined are errors; for `k, v`, each item unpacked. */
  iter(v: unknown, names: number): unknown {
    if (v === undefined) throw new UndefinedUse();
    if (isScalar(v)) throw new PyError('TypeError', `'${pyType(v)}' object is not iterable`);
    const items = typeof v === 'string' ? [...v] : isDict(v) ? dictKeys(v) : v;
    return names > 1 && Array.isArray(items) ? items.map((x) => unpack(x, names)) : items;
  },
  float: (n: number) => new PyFloat(n),
  slice: (a: unknown, b: unknown, c: unknown) => new Slice(a, b, c),
  tuple, spread, withLocals,
  /** A dict literal's keys and values in turn. */
  dictLiteral(flat: unknown[]): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    for (let i = 0; i < flat.length; i += 2) putKey(d, flat[i], flat[i + 1]);
    return d;
  },
  ...statementRuntime,
};

const COMPARE: Record<string, string> = { '==': '==', '===': '==', '!=': '!=', '!==': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

let applied = false;
export function patchNunjucks(): void {
  if (applied) return;
  applied = true;
  const { nodes, lexer } = nj;
  nj.runtime.py = runtimePy;
  const C = nj.compiler.Compiler.prototype;
  const P = nj.parser.Parser.prototype;
  patchStarArgs(nodes, lexer, P, C);
  patchDictLiteral(nodes, lexer, P, C);
  patchTests(nodes, lexer, P);
  patchImports(C);
  patchParserEnd(P);

  const call = (fn: string, ...parts: ((c: Compiler) => void)[]) =>
    function (this: Compiler) {
      this._emit(`runtime.py.${fn}(`);
      parts.forEach((p, i) => {
        if (i) this._emit(',');
        p(this);
      });
      this._emit(')');
    };
  const binary = (fn: string) =>
    function (this: Compiler, node: Node, frame: unknown) {
      call(fn, (c) => c.compile(node.left, frame), (c) => c.compile(node.right, frame)).call(this);
    };
  const unary = (fn: string) =>
    function (this: Compiler, node: Node, frame: unknown) {
      call(fn, (c) => c.compile(node.target, frame)).call(this);
    };
  // `a and b` / `a or b`: Python's truth, the right side evaluated only when needed
  const shortCircuit = (fn: string) =>
    function (this: Compiler, node: Node, frame: unknown) {
      this._emit(`runtime.py.${fn}(`);
      this.compile(node.left, frame);
      this._emit(', () => (');
      this.compile(node.right, frame);
      this._emit('))');
    };
  const originalLiteral = C.compileLiteral;
  Object.assign(C, {
    compileAdd: binary('add'),
    compileSub: binary('sub'),
    compileMul: binary('mul'),
    compileDiv: binary('div'),
    compileFloorDiv: binary('floordiv'),
    compileMod: binary('mod'),
    compilePow: binary('pow'),
    compileConcat: binary('concat'),
    compileIn: binary('contains'),
    compileNeg: unary('neg'),
    compilePos: unary('pos'),
    compileNot: unary('not'),
    compileAgriTruthy: unary('truthy'),
    compileAnd: shortCircuit('and'),
    compileOr: shortCircuit('or'),
    compileCompare(this: Compiler, node: Node, frame: unknown) {
      this._emit('runtime.py.chain(');
      this.compile(node.expr, frame);
      for (const op of node.ops as { type: string; expr: unknown }[]) {
        this._emit(`, ${JSON.stringify(COMPARE[op.type] ?? op.type)}, `);
        this.compile(op.expr, frame);
      }
      this._emit(')');
    },
    compileInlineIf(this: Compiler, node: Node, frame: unknown) {
      this._emit('(runtime.py.truthy(');
      this.compile(node.cond, frame);
      this._emit(') ? (');
      this.compile(node.body, frame);
      this._emit(') : (');
      if (node.else_ !== null) this.compile(node.else_, frame);
      else this._emit('""');
      this._emit('))');
    },
    compileLookupVal(this: Compiler, node: Node, frame: unknown) {
      this._emit('runtime.py.lookup((');
      this._compileExpression(node.target, frame);
      this._emit('),');
      this._compileExpression(node.val, frame);
      this._emit(')');
    },
    compileLiteral(this: Compiler, node: Node) {
      if (node.value instanceof PyFloat || typeof node.value === 'bigint') this._emit(node.value instanceof PyFloat ? `runtime.py.float(${node.value.value})` : `${node.value}n`);
      else (originalLiteral as (this: Compiler, n: Node) => void).call(this, node);
    },
    compileAgriSlice(this: Compiler, node: Node, frame: unknown) {
      const [start, stop, step] = node.value as (Node | null)[];
      const part = (n: unknown) => (n ? this.compile(n, frame) : this._emit('null'));
      this._emit('runtime.py.slice(');
      part(start);
      this._emit(',');
      part(stop);
      this._emit(',');
      part(step);
      this._emit(')');
    },
    compileIs(this: Compiler & { _compileAggregate(n: unknown, f: unknown, a: string, b: string): void }, node: Node, frame: unknown) {
      const right = node.right as Node & { name?: { value: string }; value?: string; args?: unknown };
      const name = right.name ? right.name.value : (right.value as string);
      this._emit(`runtime.py.test(env.getTest(${JSON.stringify(name)}), context, `);
      this.compile(node.left, frame);
      this._emit(', ');
      if (right.args) this._compileAggregate(right.args, frame, '[', ']');
      else this._emit('[]');
      this._emit(')');
    },
    compileAgriIter(this: Compiler, node: Node, frame: unknown) {
      this._emit('runtime.py.iter(');
      this.compile(node.target, frame);
      this._emit(`, ${Number(node.names)})`);
    },
    compileAgriTuple(this: Compiler, node: Node, frame: unknown) {
      this._emit('runtime.py.tuple([');
      (node.children as unknown[]).forEach((ch, i) => {
        if (i) this._emit(',');
        this.compile(ch, frame);
      });
      this._emit('])');
    },
  });

  // `if` statements test Python's truth (an empty list is false)
  const Truthy = nodes.Not.extend('AgriTruthy');
  const originalIf = C.compileIf as (this: Compiler, n: Node, f: unknown, a: unknown) => void;
  C.compileIf = function (this: Compiler, node: Node, frame: unknown, async: unknown) {
    if (node.cond && (node.cond as Node).typename !== 'AgriTruthy') node.cond = new Truthy(node.lineno, node.colno, node.cond);
    return originalIf.call(this, node, frame, async);
  };
  C.compileIfAsync = C.compileIf;

  // `{% for k in dict %}` iterates keys, `{% for c in 'abc' %}` characters
  const Iter = nodes.Not.extend('AgriIter');
  const originalFor = C.compileFor as (this: Compiler, n: Node, f: unknown) => void;
  C.compileFor = function (this: Compiler, node: Node, frame: unknown) {
    if ((node.arr as Node).typename !== 'AgriIter') {
      const it = new Iter(node.lineno, node.colno, node.arr);
      it.names = (node.name as Node).typename === 'Array' ? ((node.name as Node).children as Node[]).length : 1;
      node.arr = it;
    }
    return originalFor.call(this, node, frame);
  };

  // Jinja's conditional expression (parse_condexpr): its else branch is one too, `a if x else b if y else c`,
  // and `a if x if y` nests (nunjucks' else took only an `or` expression)
  // (an `if`/`elif` condition is parse_tuple(with_condexpr=False): `{% if a if b else c %}` is Jinja's
  // syntax error; in parentheses it is an expression like any other)
  const originalParseIf = P.parseIf as (this: Parser) => Node;
  P.parseIf = function (this: Parser & { agriNoCond?: boolean }) {
    this.agriNoCond = true;
    return originalParseIf.call(this);
  };
  P.parseInlineIf = function (this: Parser & { parseOr(): Node; skipSymbol(s: string): boolean; parseInlineIf(): Node; agriNoCond?: boolean }) {
    if (this.agriNoCond) {
      this.agriNoCond = false;
      return this.parseOr();
    }
    let node = this.parseOr();
    while (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const inline = new nodes.InlineIf(node.lineno, node.colno);
      inline.body = node;
      inline.cond = cond;
      inline.else_ = this.skipSymbol('else') ? this.parseInlineIf() : null;
      node = inline;
    }
    return node;
  };

  // Jinja's float literals stay floats (`1.0` prints 1.0)
  const originalPrimary = P.parsePrimary as (this: Parser, noPostfix?: boolean) => Node;
  P.parsePrimary = function (this: Parser & { parsePostfix(n: Node): Node }, noPostfix?: boolean) {
    const tok = this.peekToken();
    // adjacent string literals are one, as Jinja's parse_primary joins them ('''a''' is '' 'a' '')
    if (tok?.type === lexer.TOKEN_STRING) {
      let value = '';
      while (this.peekToken()?.type === lexer.TOKEN_STRING) value += this.nextToken().value;
      const literal = new nodes.Literal(tok.lineno, tok.colno, value);
      return noPostfix ? literal : this.parsePostfix(literal);
    }
    const node = originalPrimary.call(this, noPostfix);
    if (tok && node.typename === 'Literal' && typeof node.value === 'number') node.value = literalNumber(tok, node.value);
    return node;
  };

  // subscripts take slices: s[1:], s[::-1]
  const SliceNode = nodes.Literal.extend('AgriSlice');
  P.parsePostfix = function (this: Parser & { parseSignature(): unknown }, node: Node) {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        this.nextToken();
        const parts: (Node | null)[] = [];
        let cur: Node | null = null;
        let colons = 0;
        for (;;) {
          const t = this.peekToken();
          if (t.type === lexer.TOKEN_RIGHT_BRACKET) {
            this.nextToken();
            break;
          }
          if (t.type === lexer.TOKEN_COLON) {
            this.nextToken();
            parts.push(cur);
            cur = null;
            if (++colons > 2) this.fail('invalid slice', t.lineno, t.colno);
            continue;
          }
          if (cur) this.fail('invalid index', t.lineno, t.colno);
          cur = this.parseExpression();
        }
        parts.push(cur);
        let key: Node;
        if (colons === 0) {
          if (!cur) this.fail('expected an index', tok.lineno, tok.colno);
          key = cur;
        } else {
          key = new SliceNode(tok.lineno, tok.colno, [parts[0], parts[1], parts[2] ?? null]);
        }
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, key);
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        // Jinja: `item.0` is item[0]; the lexer reads `item.0.name` as item . `0.` name, and `item.0.1` as item . `0.1`
        for (let more = true; more; ) {
          more = false;
          const val = this.nextToken();
          // (after a dot every word is a name, as Jinja's lexer reads `foo.null`, `foo.true`: nunjucks reads them as literals)
          if (val.type === lexer.TOKEN_SYMBOL || val.type === lexer.TOKEN_BOOLEAN || val.type === lexer.TOKEN_NONE) node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, val.value));
          else if (val.type === lexer.TOKEN_INT || val.type === lexer.TOKEN_FLOAT) {
            const [whole, frac] = String(val.value).split('.');
            node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, Number(whole)));
            if (frac) node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, Number(frac)));
            else if (frac === '') more = true; // `0.` then the next name or index
          } else this.fail('expected name as lookup value, got ' + val.value, val.lineno, val.colno);
        }
      } else break;
      tok = this.peekToken();
    }
    return node;
  };

  // `(a, b)` and `('a',)` are tuples; `(a)` is a group
  const TupleNode = nodes.Group.extend('AgriTuple');
  const originalAggregate = P.parseAggregate as (this: Parser) => Node | null;
  P.parseAggregate = function (this: Parser) {
    const open = this.peekToken();
    if (open.type !== lexer.TOKEN_LEFT_PAREN) return originalAggregate.call(this);
    this.nextToken();
    const items: Node[] = [];
    let comma = false;
    for (;;) {
      const t = this.peekToken();
      if (t.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (items.length && !this.skip(lexer.TOKEN_COMMA)) this.fail('parseAggregate: expected comma after expression', open.lineno, open.colno);
      if (items.length) comma = true;
      if (this.peekToken().type === lexer.TOKEN_RIGHT_PAREN) continue;
      items.push(this.parseExpression());
    }
    const node = new (comma || items.length === 0 ? TupleNode : nodes.Group)(open.lineno, open.colno);
    (node as unknown as { children: Node[] }).children = items;
    return node;
  };

  // Jinja's `{% include 'x' with context %}` (an include has the context anyway; `without context` is refused)
  const originalInclude = P.parseInclude as (this: Parser) => Node;
  P.parseInclude = function (this: Parser & { parseWithContext(): boolean | null; advanceAfterBlockEnd(v?: string): void; skipSymbol(s: string): boolean }) {
    const tag = this.peekToken();
    const self = this as unknown as { skipSymbol(s: string): boolean; advanceAfterBlockEnd(v?: string): void; parseExpression(): Node; parseWithContext(): boolean | null };
    if (!self.skipSymbol('include')) return originalInclude.call(this);
    const node = new nodes.Include(tag.lineno, tag.colno) as unknown as Node & { template: Node; ignoreMissing?: boolean };
    node.template = self.parseExpression();
    if (self.skipSymbol('ignore') && self.skipSymbol('missing')) node.ignoreMissing = true;
    if (self.parseWithContext() === false) this.fail('include ... without context is not supported by agri-play', tag.lineno, tag.colno);
    self.advanceAfterBlockEnd(tag.value);
    return node;
  };

  patchLexer(lexer);
  patchStatements(nodes, TupleNode, P, C, nj.runtime);

  // output: Python's str(); None prints as nothing (Ansible's finalize); undefined is an error
  nj.runtime.ensureDefined = (val: unknown) => {
    if (val === undefined) throw new UndefinedUse();
    return val;
  };
  // (a list or dict holding an undefined value is an error too, as its repr in Jinja2 fails: `{{ [x] }} text`)
  nj.runtime.suppressValue = (val: unknown) => {
    outputs.count++;
    if (val === null) return jinja2.printNone ? 'None' : '';
    if (val === undefined) return '';
    if (typeof val === 'string') return val;
    if (typeof val === 'object' && holdsUndefined(val)) throw new UndefinedUse();
    return str(val);
  };
  nj.runtime.memberLookup = runtimePy.lookup;
  const originalLookup = nj.runtime.contextOrFrameLookup as (c: unknown, f: unknown, n: string) => unknown;
  nj.runtime.contextOrFrameLookup = (c: unknown, f: unknown, n: string) => {
    const v = originalLookup(c, f, n);
    // (a variable holding kept text, kept-text.ts: its text output alone stays text)
    if (typeof v === 'string') readVar((c as { ctx: Record<string, unknown> }).ctx, n, v);
    // (the play context's settings where no variable names them: play-context.ts)
    if (v === undefined && (n.startsWith('ansible_') || n === 'inventory_dir')) return contextVar((c as { ctx: Record<string, unknown> }).ctx, n);
    return unresolved(v);
  };
}
