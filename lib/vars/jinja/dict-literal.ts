// Jinja's dict literal: a key is any expression, evaluated (`{item.key: item.value}`, `{name: 1}`
// keyed by the variable's value, `{'a' ~ b: 1}`, a trailing comma). nunjucks reads only a primary
// there, takes a name as its own text and refuses any other key; its keyword arguments keep that
// reading (they are Pairs too, and stay nunjucks').
type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeClass = { new (lineno: number, colno: number, ...a: unknown[]): Node; extend(name: string, props?: object): NodeClass };
type Token = { type: string; value: string; lineno: number; colno: number };
type Parser = { peekToken(): Token; nextToken(): Token; skip(t: string): boolean; parseExpression(): Node; fail(m: string, l?: number, c?: number): never };
type Compiler = { _emit(s: string): void; _compileExpression(n: unknown, f: unknown): void; _compileAggregate(n: unknown, f: unknown, start: string, end: string): void };

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
  // a literal's pairs, keys and values in turn, made a dict as Python's: each key of its type, in
  // order (keyword arguments, a Dict of nunjucks' Pairs, stay nunjucks' object literal)
  const compileDict = C.compileDict as (this: Compiler, node: Node, frame: unknown) => void;
  C.compileDict = function (this: Compiler, node: Node & { children: Node[] }, frame: unknown) {
    if (!node.children.some((c) => c instanceof KeyPair)) return compileDict.call(this, node, frame);
    this._compileAggregate(node, frame, 'runtime.py.dictLiteral([', '])');
  };
  C.compileAgriKeyPair = function (this: Compiler, node: Node, frame: unknown) {
    this._compileExpression(node.key, frame);
    this._emit(', ');
    this._compileExpression(node.value, frame);
  };
}
