import { undefinedRepr } from '../../source/pyvalues.js';
import { PyError, isTuple, floatRepr, isDict, isFloat, isNum, num, pyType, repr, str, subscript } from '../../source/python.js';

/** One conversion spec's flags, width and precision, shared by `%` and `str.format`. */
type Spec = { fill: string; align: string; sign: string; alt: boolean; zero: boolean; width: number; comma: boolean; precision?: number; type: string };

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

function groupThousands(digits: string): string {
  const [i, f] = digits.split('.');
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return f === undefined ? g : `${g}.${f}`;
}

function expForm(x: number, p: number, upper: boolean): string {
  const [m, e] = x.toExponential(p).split('e');
  const s = `${m}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  return upper ? s.toUpperCase() : s;
}

function number(v: unknown, spec: Spec, conv: string): string {
  if (!isNum(v)) throw new PyError('TypeError', `%${conv} format: a real number is required, not ${pyType(v)}`);
  const x = num(v);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      body = String(Math.trunc(a));
      break;
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      if (isFloat(v)) throw new PyError('TypeError', `%${conv} format: an integer is required, not float`);
      const base = conv === 'o' ? 8 : conv === 'b' ? 2 : 16;
      body = (spec.alt ? '0' + (conv === 'X' ? 'X' : conv) : '') + Math.trunc(a).toString(base);
      if (conv === 'X') body = body.toUpperCase();
      break;
    }
    case 'e':
    case 'E':
      body = expForm(a, spec.precision ?? 6, conv === 'E');
      break;
    case 'f':
    case 'F':
      body = Number.isFinite(a) ? a.toFixed(spec.precision ?? 6) : floatRepr(a);
      break;
    case '%':
      body = (a * 100).toFixed(spec.precision ?? 6) + '%';
      break;
    case 'g':
    case 'G': {
      const p = spec.precision === 0 ? 1 : spec.precision ?? 6;
      const exp = a === 0 ? 0 : Math.floor(Math.log10(a));
      body = exp < -4 || exp >= p ? expForm(a, p - 1, conv === 'G') : a.toFixed(Math.max(0, p - 1 - exp));
      if (!spec.alt) body = body.replace(/(\.\d*?)0+(?=$|e)/i, '$1').replace(/\.(?=$|e)/i, '');
      break;
    }
    default:
      body = isFloat(v) ? floatRepr(a) : String(a);
  }
  if (spec.comma) body = groupThousands(body);
  const sign = neg ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  return pad(sign + body, spec, true);
}

const SPEC_CONVS = 'diouxXeEfFgGcrsa%';

/** Python's `'fmt' % args` (printf-style string formatting). */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = isTuple(args) ? (args as unknown[]) : [args];
  const mapping = isDict(args) ? args : undefined;
  let next = 0;
  const take = (key: string | undefined): unknown => {
    if (key !== undefined) {
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
    const spec: Spec = { fill: ' ', align: flags.includes('-') ? '<' : '', sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '', alt: flags.includes('#'), zero: flags.includes('0') && !flags.includes('-'), width: w, comma: false, precision: p, type: conv };
    const v = take(key);
    if (conv === 's' || conv === 'r' || conv === 'a') {
      const s = conv === 's' ? str(v) : v === undefined ? undefinedRepr() : repr(v);
      return pad(p === undefined ? s : s.slice(0, p), { ...spec, zero: false, align: spec.align || '>' }, false);
    }
    if (conv === 'c') return pad(typeof v === 'string' ? v : String.fromCodePoint(num(v)), { ...spec, align: spec.align || '>' }, false);
    return number(v, spec, conv);
  });
  if (!mapping && next < positional.length) throw new PyError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

function parseSpec(s: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(s);
  if (!m) throw new PyError('ValueError', `Invalid format specifier '${s}'`);
  return { fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '), align: m[2] ?? (m[5] ? '=' : ''), sign: m[3] ?? '', alt: Boolean(m[4]), zero: false, width: Number(m[6] ?? 0), comma: Boolean(m[7]), precision: m[8] === undefined ? undefined : Number(m[8]), type: m[9] ?? '' };
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
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const [, head, rest] = /^([^.[]*)(.*)$/.exec(field ?? '')!;
    let v: unknown = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs[head];
    if (v === undefined) throw new PyError(head === '' || /^\d+$/.test(head) ? 'IndexError' : 'KeyError', head === '' || /^\d+$/.test(head) ? 'Replacement index out of range for positional args tuple' : repr(head));
    for (const part of rest.match(/\.\w+|\[[^\]]*\]/g) ?? []) v = subscript(v, part.startsWith('.') ? part.slice(1) : /^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part.slice(1, -1));
    if (conv) v = conv === 's' ? str(v) : repr(v);
    return formatOne(v, spec ?? '');
  });
}
