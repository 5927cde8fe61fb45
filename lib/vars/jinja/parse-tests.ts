// Where Jinja reads a test, a filter and a call: after a unary operand, in one loop
// (parse_filter_expr), so `a ~ b is defined` is `a ~ (b is defined)`, `x is eq(1) | md5` hashes the
// test's result and `s | attr('upper')()` calls the filter's. nunjucks reads `is` looser than every
// comparison and a filter's parentheses as its arguments only.
type Node = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type NodeClass = new (lineno: number, colno: number, ...a: unknown[]) => Node;
type Token = { type: string; value: string; lineno: number; colno: number };
type Parser = {
  peekToken(): Token;
  fail(m: string, l?: number, c?: number): never;
  skip(t: string): boolean;
  skipSymbol(s: string): boolean;
  parseCompare(): Node;
  parseFilterName(): Node;
  parseFilterArgs(n: Node): Node[];
  parsePrimary(noPostfix?: boolean): Node;
  parsePostfix(n: Node): Node;
  parseSignature(): Node;
};

/** What may start a test's one argument given without parentheses (`x is divisibleby 3`). */
function startsArg(lexer: Record<string, string>, t: Token | null): boolean {
  if (!t) return false;
  if (t.type === lexer.TOKEN_SYMBOL) return !['and', 'or', 'else', 'if', 'not', 'in', 'is'].includes(t.value);
  return [lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE].includes(t.type);
}

export function patchTests(nodes: Record<string, NodeClass>, lexer: Record<string, string>, P: Record<string, unknown>): void {
  // a test's name may be dotted, an FQCN (`x is ansible.builtin.match('a')`), as Jinja's parse_test reads it
  function parseTest(this: Parser, node: Node): Node {
    const not = this.skipSymbol('not');
    let test: Node;
    if (this.peekToken().type === lexer.TOKEN_SYMBOL) {
      const name = this.parseFilterName();
      test = this.peekToken().type === lexer.TOKEN_LEFT_PAREN ? new nodes.FunCall(name.lineno, name.colno, name, this.parseSignature()) : name;
    } else test = this.parsePrimary(true);
    const next = this.peekToken();
    if (test.typename !== 'FunCall' && next?.type === lexer.TOKEN_SYMBOL && next.value === 'is') this.fail('You cannot chain multiple tests with is', next.lineno, next.colno);
    if (test.typename === 'Symbol' && startsArg(lexer, next)) {
      const arg = this.parsePostfix(this.parsePrimary(true));
      test = new nodes.FunCall(test.lineno, test.colno, test, new nodes.NodeList(arg.lineno, arg.colno, [arg]));
    }
    const is = new nodes.Is(node.lineno, node.colno, node, test);
    return not ? new nodes.Not(node.lineno, node.colno, is) : is;
  }
  P.parseFilter = function (this: Parser, node: Node) {
    for (;;) {
      const tok = this.peekToken();
      if (this.skip(lexer.TOKEN_PIPE)) {
        const name = this.parseFilterName();
        const args = this.peekToken().type === lexer.TOKEN_LEFT_PAREN ? (this.parseSignature() as unknown as { children: Node[] }).children : [];
        node = new nodes.Filter(name.lineno, name.colno, name, new nodes.NodeList(name.lineno, name.colno, [node, ...args]));
      } else if (this.skipSymbol('is')) node = parseTest.call(this, node);
      else if (tok?.type === lexer.TOKEN_LEFT_PAREN) node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else return node;
    }
  };
  // (every `is` is read after its operand, above)
  P.parseIs = function (this: Parser) {
    return this.parseCompare();
  };
}
