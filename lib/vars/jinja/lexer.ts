// What nunjucks's lexer reads differently from Jinja's: a `}}` inside an open dict, a `#}` in text,
// the newline after a comment under trim_blocks, and string literals' escapes.
import nunjucks from '../../source/vendor/nunjucks.js';
import { PY_ESCAPES } from '../../source/pyliteral.js';

export function patchLexer(lexer: Record<string, string>): void {
  // `{{ {'a': {'b': 1}} }}`: a `}}` inside an open dict closes the dict, not the tag (as Jinja's lexer)
  const T = (nunjucks as unknown as { lexer: { lex(src: string, opts: unknown): { constructor: { prototype: Record<string, unknown> } } } }).lexer;
  const TP = T.lex('', {}).constructor.prototype as Record<string, unknown> & { nextToken(): unknown };
  const originalNext = TP.nextToken as (this: Tokenizer) => { type: string } | null;
  type Tokenizer = { in_code: boolean; str: string; index: number; lineno: number; colno: number; forward(): void; agriDepth?: number; agriText?: boolean; trimBlocks?: boolean; tags: Record<string, string> };
  const originalMatches = TP._matches as (this: Tokenizer, s: string) => boolean;
  TP._matches = function (this: Tokenizer, s: string) {
    return this.agriText && s === this.tags.COMMENT_END ? false : originalMatches.call(this, s);
  };
  TP.nextToken = function (this: Tokenizer) {
    if (this.in_code && this.agriDepth && this.str.startsWith('}}', this.index)) {
      const tok = { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      this.agriDepth--;
      return tok;
    }
    // a `#}` in text is text (Jinja's comments don't nest: `{# a {# b #} #}` leaves ` #}`); nunjucks threw
    this.agriText = !this.in_code && !this.str.startsWith(this.tags.COMMENT_START, this.index);
    const tok = originalNext.call(this);
    this.agriText = false;
    // Jinja's trim_blocks drops the newline after a comment too (`{# … #}` on a line of its own leaves no blank line)
    if (tok?.type === lexer.TOKEN_COMMENT && this.trimBlocks && this.str[this.index] === '\n') this.forward();
    if (tok?.type === lexer.TOKEN_LEFT_CURLY) this.agriDepth = (this.agriDepth ?? 0) + 1;
    else if (tok?.type === lexer.TOKEN_RIGHT_CURLY && this.agriDepth) this.agriDepth--;
    else if (tok?.type === lexer.TOKEN_VARIABLE_END || tok?.type === lexer.TOKEN_BLOCK_END) this.agriDepth = 0;
    return tok;
  };

  // string literals as Jinja reads them (Python's unicode-escape): \n \t \\ \' \" \a \b \f \v \xHH \uHHHH,
  // and an unknown escape (`'\p'`) keeps its backslash; nunjucks knew only \n \t \r and dropped the rest's backslash
  (TP as Record<string, unknown>)._parseString = function (this: Tokenizer & { current(): string; isFinished(): boolean }, delimiter: string) {
    this.forward();
    let out = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      const c = this.current();
      this.forward();
      if (c !== '\\' || this.isFinished()) {
        out += c;
        continue;
      }
      const e = this.current();
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const digits = hex ? this.str.slice(this.index + 1, this.index + 1 + hex) : '';
      if (hex && new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) {
        out += String.fromCodePoint(parseInt(digits, 16));
        for (let i = 0; i <= hex; i++) this.forward();
      } else if (Object.hasOwn(PY_ESCAPES, e)) {
        out += PY_ESCAPES[e];
        this.forward();
      } else out += '\\';
    }
    this.forward();
    return out;
  };
}
