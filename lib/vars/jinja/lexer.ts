// What nunjucks's lexer reads differently from Jinja's: a `}}` inside an open dict, a `#}` in text,
// the newline after a comment under trim_blocks, and string literals' escapes.
import nunjucks from '../../source/vendor/nunjucks.js';
import { PY_ESCAPES } from '../../source/pyliteral.js';
import { intText } from '../../source/pyint.js';
import { PyFloat } from '../../source/python.js';

type Tok = { type: string; value: string } | null;
type Reader = { str: string; index: number; forward(): void };


/**
 * Jinja's number literals nunjucks reads as names or stops short at: an exponent (`1e3`, `1.5e-7`:
 * floats), `_` between digits (`1_000`), and `0x`, `0o`, `0b` integers (its lexer's integer_re, float_re).
 */
function numberLiteral(r: Reader, tok: Tok): Tok {
  if (!tok) return tok;
  // (sticky: read where the tokenizer stands)
  const take = (re: RegExp): string => {
    re.lastIndex = r.index;
    const m = re.exec(r.str);
    for (let i = 0; m && i < m[0].length; i++) r.forward();
    return m ? m[0] : '';
  };
  if (tok.type === 'float') {
    // (nunjucks stopped at the exponent: `1.5` of `1.5e-7`)
    const e = take(/[eE][+-]?\d(?:_?\d)*/y);
    return e ? { ...tok, value: (tok.value + e).replace(/_/g, '') } : tok;
  }
  if (tok.type !== 'symbol') return tok;
  const v = tok.value;
  if (/^\d(?:_?\d)*$/.test(v)) return { ...tok, type: 'int', value: v.replace(/_/g, '') };
  if (/^\d(?:_?\d)*[eE]\d(?:_?\d)*$/.test(v)) return { ...tok, type: 'float', value: v.replace(/_/g, '') };
  // (`1e` before `-7`: the sign ended the name)
  if (/^\d(?:_?\d)*[eE]$/.test(v)) {
    const e = take(/[+-]\d(?:_?\d)*/y);
    if (e) return { ...tok, type: 'float', value: (v + e).replace(/_/g, '') };
  }
  const radix = /^0([xob])((?:_?[0-9a-f])+)$/i.exec(v);
  const base = radix ? { x: 16, o: 8, b: 2 }[radix[1].toLowerCase() as 'x' | 'o' | 'b'] : 0;
  if (radix && new RegExp(`^[${'0123456789abcdef'.slice(0, base)}_]+$`, 'i').test(radix[2])) return { ...tok, type: 'int', value: String(intText(radix[2].replace(/_/g, ''), base)) };
  return tok;
}

/** A number literal's value, as nunjucks' parser read it (`n`) or as Python does: `1.0` a float, an int past 2**53 exact. */
export function literalNumber(tok: { type: string; value: string }, n: number): unknown {
  if (tok.type === 'float') return Number.isInteger(n) ? new PyFloat(n) : n;
  return tok.type === 'int' && !Number.isSafeInteger(n) ? intText(tok.value) : n;
}

type Lexing = { str: string; index: number; lineno: number; colno: number; in_code: boolean; tags: Record<string, string>; forward(): void };

/** Jinja's `{%+` (lstrip_blocks off for the tag) and `+%}` (trim_blocks off after it): nunjucks knows neither. */
function plusTag(t: Lexing, lexer: Record<string, string>): { type: string; value: string; lineno: number; colno: number } | undefined {
  const start = t.in_code ? '+' + t.tags.BLOCK_END : t.tags.BLOCK_START + '+';
  if (!t.str.startsWith(start, t.index)) return undefined;
  const tok = { type: t.in_code ? lexer.TOKEN_BLOCK_END : lexer.TOKEN_BLOCK_START, value: t.in_code ? t.tags.BLOCK_END : t.tags.BLOCK_START, lineno: t.lineno, colno: t.colno };
  for (let i = 0; i < start.length; i++) t.forward();
  t.in_code = !t.in_code;
  return tok;
}

/** Whether the first tag after the text at the tokenizer's place is a `{%+`. */
function nextTagIsPlus(t: Lexing): boolean {
  const at = [t.tags.BLOCK_START, t.tags.VARIABLE_START, t.tags.COMMENT_START].map((s) => t.str.indexOf(s, t.index)).filter((i) => i >= 0);
  const first = Math.min(...at);
  return at.length > 0 && t.str.startsWith(t.tags.BLOCK_START + '+', first);
}

export function patchLexer(lexer: Record<string, string>): void {
  // `{{ {'a': {'b': 1}} }}`: a `}}` inside an open dict closes the dict, not the tag (as Jinja's lexer)
  const T = (nunjucks as unknown as { lexer: { lex(src: string, opts: unknown): { constructor: { prototype: Record<string, unknown> } } } }).lexer;
  const TP = T.lex('', {}).constructor.prototype as Record<string, unknown> & { nextToken(): unknown };
  const originalNext = TP.nextToken as (this: Tokenizer) => { type: string; value: string } | null;
  type Tokenizer = { in_code: boolean; str: string; index: number; lineno: number; colno: number; forward(): void; agriDepth?: number; agriText?: boolean; trimBlocks?: boolean; lstripBlocks?: boolean; tags: Record<string, string> };
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
    const plus = plusTag(this, lexer);
    if (plus) return plus;
    // a `#}` in text is text (Jinja's comments don't nest: `{# a {# b #} #}` leaves ` #}`); nunjucks threw
    this.agriText = !this.in_code && !this.str.startsWith(this.tags.COMMENT_START, this.index);
    // (`{%+`: lstrip_blocks leaves the spaces before that tag)
    const lstrip = this.lstripBlocks;
    if (lstrip && this.agriText) this.lstripBlocks = !nextTagIsPlus(this);
    const tok = numberLiteral(this, originalNext.call(this));
    this.lstripBlocks = lstrip;
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
