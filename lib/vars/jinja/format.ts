import { pyFixed, significant } from '../../source/pynumbers.js';
import { undefinedRepr } from '../../source/pyvalues.js';
import { PyError, isTuple, floatRepr, isDict, isFloat, isNum, num, pyType, repr, str } from '../../source/python.js';
import { subscript } from '../../source/pysubscript.js';
import { intDigits } from '../../source/pyint.js';

/** One conversion spec's flags, width and precision, shared by `%` and `str.format`. */
type Spec = { fill: string; align: string; sign: string; alt: boolean; zero: boolean; width: number; comma: '' | ',' | '_'; precision?: number; type: string };

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (s.length >= spec.width) return s;
  const fill = spec.fill;
  const n = spec.width - s.length;
  const align = spec.align || (numeric ? '>' : '<');
  if (align === '=' || (numeric && spec.zero && !spec.align)) {
    const m = /^([+\- ]?(?:0[xob])?)(.*)$/.exec(s)!;
    return m[1] + (spec.zero && !spec.align ? '0' : fill).repeat(n) + m[2];
  }
  if (align === '<') return s + fill.repeat(n);
  if (align === '^') return fill.repeat(Math.floor(n / 2)) + s + fill.repeat(n - Math.floor(n / 2));
  return fill.repeat(n) + s;
}

/** The integer part's digits grouped: by 3 (`,` or `_`), by 4 for `_` of x, o and b (`75b_cd15`). */
function groupDigits(body: string, sep: string, conv: string): string {
  const d = 'xX'.includes(conv) ? '[0-9a-fA-F]' : '[0-9]';
  const m = new RegExp(`^(0[xXob])?(${d}*)(.*)$`, 's').exec(body)!;
  const every = 'xXob'.includes(conv) ? 4 : 3;
  return (m[1] ?? '') + m[2].replace(new RegExp(`\\B(?=(${d}{${every}})+$)`, 'g'), sep) + m[3];
}

/** `%e`: the digits rounded as Python's (ties to even on the exact value), a two-digit exponent at least. */
function expForm(x: number, p: number, upper: boolean): string {
  if (!Number.isFinite(x)) return upper ? floatRepr(x).toUpperCase() : floatRepr(x);
  const { mantissa, exp } = significant(x, p);
  const s = `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

/** `%f` of x ≥ 0: the digits, or inf/nan as Python writes them (INF/NAN for `%F`). */
const fixedForm = (x: number, p: number, upper: boolean): string => (upper ? pyFixed(x, p).toUpperCase() : pyFixed(x, p));

function number(v: unknown, spec: Spec, conv: string): string {
  if (!isNum(v)) throw new PyError('TypeError', `%${conv} format: a real number is required, not ${pyType(v)}`);
  const x = num(v);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  // (an int past 2**53: its own digits)
  const whole = typeof v === 'bigint' ? (v < 0n ? -v : v) : undefined;
  let body: string;
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      if (!Number.isFinite(a)) throw new PyError(Number.isNaN(a) ? 'ValueError' : 'OverflowError', Number.isNaN(a) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
      body = (whole ?? BigInt(Math.trunc(a))).toString();
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      if (isFloat(v)) throw new PyError('TypeError', `%${conv} format: an integer is required, not float`);
      const base = conv === 'o' ? 8 : conv === 'b' ? 2 : 16;
      body = (spec.alt ? '0' + (conv === 'X' ? 'X' : conv) : '') + (whole ?? Math.trunc(a)).toString(base);
      if (conv === 'X') body = body.toUpperCase();
      break;
    }
    case 'e':
    case 'E':
      body = expForm(a, spec.precision ?? 6, conv === 'E');
      break;
    case 'f':
    case 'F':
      body = fixedForm(a, spec.precision ?? 6, conv === 'F');
      break;
    case '%':
      body = fixedForm(a * 100, spec.precision ?? 6, false) + '%';
      break;
    case 'g':
    case 'G': {
      const p = spec.precision === 0 ? 1 : spec.precision ?? 6;
      // (the exponent after rounding to p digits decides the form, as Python's)
      const exp = Number.isFinite(a) ? significant(a, p - 1).exp : 0;
      body = exp < -4 || exp >= p ? expForm(a, p - 1, conv === 'G') : fixedForm(a, Math.max(0, p - 1 - exp), conv === 'G');
      if (!spec.alt) body = body.replace(/(\.\d*?)0+(?=$|e)/i, '$1').replace(/\.(?=$|e)/i, '');
      break;
    }
    default:
      body = isFloat(v) ? floatRepr(a) : whole !== undefined ? String(whole) : intDigits(a);
  }
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  if (spec.comma && Number.isFinite(x)) {
    // (zeros that pad a grouped number are grouped too: `{:010,}` of 1234 is 00,001,234)
    const zeros = spec.fill === '0' && spec.align === '=' ? Math.max(0, spec.width - sign.length) : 0;
    let grouped = groupDigits(body, spec.comma, conv);
    while (grouped.length < zeros || grouped.startsWith(spec.comma)) grouped = groupDigits((body = '0' + body), spec.comma, conv);
    body = grouped;
  }
  return pad(sign + body, spec, true);
}

const SPEC_CONVS = 'diouxXeEfFgGcrsa%';

/** Python's `'fmt' % args` (printf-style string formatting). */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isDict(args) ? args : undefined;
  // (a list is a mapping to Python's check, PyMapping_Check: no error for arguments left over)
  const listArg = Array.isArray(args) && !isTuple(args);
  let next = 0;
  const take = (key: string | undefined): unknown => {
    if (key !== undefined) {
      if (listArg) throw new PyError('TypeError', 'list indices must be integers or slices, not str');
      if (!mapping) throw new PyError('TypeError', 'format requires a mapping');
      if (!Object.hasOwn(mapping, key)) throw new PyError('KeyError', repr(key));
      return mapping[key];
    }
    if (next >= positional.length) throw new PyError('TypeError', 'not enough arguments for format string');
    return positional[next++];
  };
  const re = /%(?:\((\w+)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])/g;
  const out = fmt.replace(re, (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (!SPEC_CONVS.includes(conv)) throw new PyError('ValueError', `unsupported format character '${conv}'`);
    const w = width === '*' ? num(take(undefined)) : Number(width ?? 0);
    const p = prec === '*' ? num(take(undefined)) : prec === undefined ? undefined : Number(prec);
    const spec: Spec = { fill: ' ', align: flags.includes('-') ? '<' : '', sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '', alt: flags.includes('#'), zero: flags.includes('0') && !flags.includes('-'), width: w, comma: '', precision: p, type: conv };
    const v = take(key);
    if (conv === 's' || conv === 'r' || conv === 'a') {
      const s = conv === 's' ? str(v) : v === undefined ? undefinedRepr() : repr(v);
      return pad(p === undefined ? s : s.slice(0, p), { ...spec, zero: false, align: spec.align || '>' }, false);
    }
    if (conv === 'c') return pad(typeof v === 'string' ? v : String.fromCodePoint(num(v)), { ...spec, align: spec.align || '>' }, false);
    return number(v, spec, conv);
  });
  if (!mapping && !listArg && next < positional.length) throw new PyError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

function parseSpec(s: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(s);
  if (!m) throw new PyError('ValueError', `Invalid format specifier '${s}'`);
  return { fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '), align: m[2] ?? (m[5] ? '=' : ''), sign: m[3] ?? '', alt: Boolean(m[4]), zero: false, width: Number(m[6] ?? 0), comma: (m[7] ?? '') as Spec['comma'], precision: m[8] === undefined ? undefined : Number(m[8]), type: m[9] ?? '' };
}

function formatOne(v: unknown, specText: string): string {
  const spec = parseSpec(specText);
  if (spec.type === '' || spec.type === 's') {
    if (spec.type === 's' && typeof v !== 'string') throw new PyError('ValueError', `Unknown format code 's' for object of type '${pyType(v)}'`);
    if (isNum(v) && typeof v !== 'boolean' && (specText !== '' || spec.comma)) return number(v, { ...spec, type: isFloat(v) ? 'g' : 'd' }, isFloat(v) ? (spec.precision === undefined ? 'r' : 'g') : 'd');
    const s = str(v);
    return pad(spec.precision === undefined ? s : s.slice(0, spec.precision), spec, false);
  }
  if (!isNum(v) || typeof v === 'string') throw new PyError('ValueError', `Unknown format code '${spec.type}' for object of type '${pyType(v)}'`);
  if (spec.type === 'c') return pad(String.fromCodePoint(num(v)), spec, false);
  if ('doxXb'.includes(spec.type) && isFloat(v)) throw new PyError('ValueError', `Unknown format code '${spec.type}' for object of type 'float'`);
  return number(v, spec, spec.type === 'n' ? 'd' : spec.type);
}

/** Python's `str.format(*args, **kwargs)`. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  const value = (field: string): unknown => {
    const [, head, rest] = /^([^.[]*)(.*)$/.exec(field)!;
    let v: unknown = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs[head];
    if (v === undefined) throw new PyError(head === '' || /^\d+$/.test(head) ? 'IndexError' : 'KeyError', head === '' || /^\d+$/.test(head) ? 'Replacement index out of range for positional args tuple' : repr(head));
    for (const part of rest.match(/\.\w+|\[[^\]]*\]/g) ?? []) v = subscript(v, part.startsWith('.') ? part.slice(1) : /^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part.slice(1, -1));
    return v;
  };
  // (a spec may hold fields of its own, `{0:>{1}}`: filled in first, in order)
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    let v = value(field ?? '');
    const inner = (spec ?? '').replace(/\{([^{}]*)\}/g, (_n, f: string) => str(value(f)));
    if (conv) v = conv === 's' ? str(v) : repr(v);
    return formatOne(v, inner);
  });
}
