/**
 * nunjucks' parser reads a token past the end of a template that stops inside an expression —
 * `{{ foo(` — as null and fails on it with a TypeError: that is Jinja's syntax error at the end of
 * the template, `unexpected 'end of template'`, at the last token.
 */
export function patchParserEnd(P: Record<string, unknown>): void {
  const parseAsRoot = P.parseAsRoot as (this: unknown) => unknown;
  P.parseAsRoot = function (this: { fail(m: string): never }) {
    try {
      return parseAsRoot.call(this);
    } catch (e) {
      if (e instanceof TypeError && /of null \(reading/.test(e.message)) this.fail("unexpected 'end of template'");
      throw e;
    }
  };
}
