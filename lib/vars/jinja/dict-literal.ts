// Jinja's dict literal: a key is any expression, evaluated (`{item.key: item.value}`, `{name: 1}`
// keyed by the variable's value, `{'a' ~ b: 1}`, a trailing comma). nunjucks reads only a primary
// there, takes a name as its own text and refuses any other key; its keyword arguments keep that
// reading (they are Pairs too, and stay nunjucks').
import { floatRepr, isDict, PyError, PyFloat, pyType, UndefinedUse } from '../../source/python.js';

type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeClass = { new (lineno: number, colno: number, ...a: unknown[]): Node; extend(name: string, props?: object): NodeClass };
type Token = { type: string; value: string; lineno: number; colno: number };
type Parser = { peekToken(): Token; nextToken(): Token; skip(t: string): boolean; parseExpression(): Node; fail(m: string, l?: number, c?: number): never };
type Compiler = { _emit(s: string): void; _compileExpression(n: unknown, f: unknown): void };

/** A key as the engine's dicts hold it, text: a number or None as json.dumps writes it, where such a dict ends up. */
export function dictKey(v: unknown): string {
  if (v === undefined) throw new UndefinedUse();
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || isDict(v)) throw new PyError('TypeError', `unhashable type: '${pyType(v)}'`);
  if (v instanceof PyFloat) return floatRepr(v.value);
  return v === null ? 'null' : typeof v === 'number' && !Number.isInteger(v) ? floatRepr(v) : String(v);
}

export function patchDictLiteral(nodes: Record<string, NodeClass>, lexer: Record<string, string>, P: Record<string, unknown>, C: Record<string, unknown>): void {
  const KeyPair = nodes.Pair.extend('AgriKeyPair');
  const original = P.parseAggregate as (this: Parser) => Node | null;
  P.parseAggregate = function (this: Parser) {
    const open = this.peekToken();
    if (open.type !== lexer.TOKEN_LEFT_CURLY) return original.call(this);
    this.nextToken();
    const node = new nodes.Dict(open.lineno, open.colno) as Node & { children: Node[]; addChild(n: Node): void };
    for (;;) {
      if (this.peekToken().type === lexer.TOKEN_RIGHT_CURLY) {
        this.nextToken();
        return node;
      }
      if (node.children.length && !this.skip(lexer.TOKEN_COMMA)) this.fail('parseAggregate: expected comma after expression', open.lineno, open.colno);
      if (node.children.length && this.peekToken().type === lexer.TOKEN_RIGHT_CURLY) continue;
      const key = this.parseExpression();
      if (!this.skip(lexer.TOKEN_COLON)) this.fail('parseAggregate: expected colon after dict key', open.lineno, open.colno);
      node.addChild(new KeyPair(key.lineno, key.colno, key, this.parseExpression()));
    }
  };
  // (a computed key: `__proto__` is a key like any other there)
  C.compileAgriKeyPair = function (this: Compiler, node: Node, frame: unknown) {
    this._emit('[runtime.py.dictKey(');
    this._compileExpression(node.key, frame);
    this._emit(')]: ');
    this._compileExpression(node.value, frame);
  };
}
