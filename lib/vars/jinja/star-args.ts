// Jinja's `f(*args)` and `f(**kwargs)` in calls (Ansible content writes `lookup('list', *xs)`,
// `q('file', lstrip=True, *names)`). nunjucks has neither: its parser reads `*` as multiplication.
// A starred argument parses to an AgriStar node; a call with one compiles its arguments through
// runtime.py.spread, which expands them as Python does: positionals in order, `**` into keywords.
import { isDict, PyError } from '../../source/python.js';

type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type List = Node & { children: Node[]; addChild(n: Node): void };
type NodeClass = { new (lineno: number, colno: number, ...a: unknown[]): Node; extend(name: string, props?: object): NodeClass };
type Token = { type: string; value: string; lineno: number; colno: number };
type Parser = { peekToken(): Token; nextToken(): Token; skip(t: string): boolean; skipValue(t: string, v: string): boolean; parseExpression(): Node; fail(m: string, l?: number, c?: number): never };
type Compiler = { compile(n: unknown, f: unknown): void; _emit(s: string): void; _compileExpression(n: unknown, f: unknown): void; _compileAggregate(n: unknown, f: unknown, a: string, b: string): void; _getNodeName(n: unknown): string };

interface Star {
  agriStar: 1 | 2;
  value: unknown;
}

/** The call's arguments, stars expanded (nunjucks passes keywords as a last `{__keywords: true}` object). */
export function spread(args: unknown[]): unknown[] {
  const positional: unknown[] = [];
  let kw: Record<string, unknown> | undefined;
  for (const a of args) {
    const star = a as Star;
    if (a && typeof a === 'object' && (star.agriStar === 1 || star.agriStar === 2)) {
      if (star.agriStar === 1) {
        if (!Array.isArray(star.value) && typeof star.value !== 'string') throw new PyError('TypeError', 'argument after * must be an iterable');
        positional.push(...star.value);
      } else {
        if (!isDict(star.value)) throw new PyError('TypeError', 'argument after ** must be a mapping');
        kw = { ...kw, ...star.value, __keywords: true };
      }
    } else if (a && typeof a === 'object' && (a as { __keywords?: boolean }).__keywords) kw = { ...kw, ...(a as Record<string, unknown>) };
    else positional.push(a);
  }
  return kw ? [...positional, kw] : positional;
}

export function patchStarArgs(nodes: Record<string, NodeClass>, lexer: Record<string, string>, P: Record<string, unknown>, C: Record<string, unknown>): void {
  const StarNode = nodes.Not.extend('AgriStar');
  P.parseSignature = function (this: Parser, tolerant?: boolean, noParens?: boolean) {
    let tok = this.peekToken();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new nodes.NodeList(tok.lineno, tok.colno) as List;
    const kwargs = new nodes.KeywordArgs(tok.lineno, tok.colno) as List;
    for (let first = true; ; first = false) {
      tok = this.peekToken();
      if (!noParens && tok.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (noParens && tok.type === lexer.TOKEN_BLOCK_END) break;
      if (!first && !this.skip(lexer.TOKEN_COMMA)) this.fail('parseSignature: expected comma after expression', tok.lineno, tok.colno);
      const star = this.peekToken();
      const stars = star.type === lexer.TOKEN_OPERATOR && (star.value === '*' || star.value === '**') ? star.value.length : 0;
      if (stars) this.nextToken();
      const arg = this.parseExpression();
      if (stars) {
        const n = new StarNode(star.lineno, star.colno, arg);
        n.stars = stars;
        args.addChild(n);
      } else if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) kwargs.addChild(new nodes.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      else args.addChild(arg);
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  };
  const originalFilter = C.compileFilter as (this: Compiler, n: Node, f: unknown) => void;
  const starred = (node: Node): boolean => (node.args as List).children.some((c) => c.typename === 'AgriStar');
  Object.assign(C, {
    compileAgriStar(this: Compiler, node: Node, frame: unknown) {
      this._emit(`{agriStar: ${node.stars as number}, value: `);
      this.compile(node.target, frame);
      this._emit('}');
    },
    // (nunjucks' own writes the callee's name into the compiled code between quotes as it is: a
    // method of a literal with a newline, `"\n".join(x)`, made code that did not compile)
    compileFunCall(this: Compiler, node: Node, frame: unknown) {
      const star = starred(node);
      this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, runtime.callWrap(`);
      this._compileExpression(node.name, frame);
      this._emit(`, ${JSON.stringify(this._getNodeName(node.name))}, context, ${star ? 'runtime.py.spread(' : ''}`);
      this._compileAggregate(node.args, frame, '[', ']');
      this._emit(star ? ')))' : '))');
    },
    compileFilter(this: Compiler, node: Node, frame: unknown) {
      if (!starred(node)) return originalFilter.call(this, node, frame);
      this._emit(`env.getFilter(${JSON.stringify((node.name as Node).value)}).apply(context, runtime.py.spread(`);
      this._compileAggregate(node.args, frame, '[', ']');
      this._emit('))');
    },
  });
}
