import { isTuple, PyError, pyFloat, PyFloat, pyType, tuple } from './python.js';
import { intText } from './pyint.js';
import { putKey } from './pykeys.js';

/**
 * Python's ast.literal_eval for the text a template rendered: ansible-core turns a task argument
 * that renders to something that looks like a list, dict or bool back into one this way. Returns
 * undefined when the text is not a Python literal (then it stays text). No library parses Python
 * literals in JavaScript (JSON.parse refuses single quotes, True, None, tuples).
 */
/** Python's one-character string escapes (\\n, \\t, \\\\, \\', …), shared with key=value decoding. */
export const PY_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** ansible-core's rule for a rendered template's text: text that looks like a list, dict or bool becomes one (JSON's null/true/false read as Python's, its Json2Python). */
export function converted(text: string): unknown {
  if (!(text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) return text;
  const v = literal(text, { json: true, raises: true });
  return v === undefined ? text : v;
}

/** A key literal_eval's dict can have: a scalar, or a tuple of them (a list or dict is unhashable: its TypeError, the text stays text). */
const hashableKey = (k: unknown): boolean => ['string', 'number', 'bigint', 'boolean'].includes(typeof k) || k === null || k instanceof PyFloat || (isTuple(k) && (k as unknown[]).every(hashableKey));

/**
 * `raises`: a dict key that is unhashable (a list) is literal_eval's TypeError, once the whole text has
 * parsed (its syntax is checked first); without it such text is no literal, as safe_eval reads it.
 */
export function literal(text: string, opts: { json?: boolean; raises?: boolean } = {}): unknown {
  const v = parsed(text, opts);
  if (v instanceof Unhashable) {
    if (opts.raises) throw new PyError('TypeError', `unhashable type: '${v.type}'`);
    return undefined;
  }
  return v;
}

/** What a parse that met an unhashable key gives. */
class Unhashable {
  constructor(readonly type: string) {}
}

function parsed(text: string, opts: { json?: boolean }): unknown {
  let unhashable: Unhashable | undefined;
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError('not a literal');
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const items: unknown[] = [];
      let comma = false;
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          break;
        }
        if (items.length) {
          if (text[i] !== ',') fail();
          i++;
          comma = true;
          ws();
          if (text[i] === close) {
            i++;
            break;
          }
        }
        items.push(value());
      }
      if (c === '(' && items.length === 1 && !comma) return items[0];
      return c === '(' ? tuple(items) : items;
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          break;
        }
        if (Object.keys(out).length) {
          if (text[i] !== ',') fail();
          i++;
          ws();
          if (text[i] === '}') {
            i++;
            break;
          }
        }
        const k = value();
        ws();
        if (text[i] !== ':') fail();
        i++;
        const v = value();
        if (!hashableKey(k)) unhashable ??= new Unhashable(pyType(isTuple(k) ? (k as unknown[]).find((x) => !hashableKey(x)) : k));
        else putKey(out, k, v);
      }
      return out;
    }
    if (c === "'" || c === '"') {
      // adjacent literals are one string ('it'"'"'s')
      let s = string();
      for (ws(); text[i] === "'" || text[i] === '"'; ws()) s += string();
      return s;
    }
    // (0x10, 0o17, 0b101: Python's other integer literals, an underscore between digits as in 1_000)
    const based = /^([-+]?)0(?:([xX])_?([\da-fA-F]+(?:_[\da-fA-F]+)*)|([oO])_?([0-7]+(?:_[0-7]+)*)|([bB])_?([01]+(?:_[01]+)*))(?![\w.])/.exec(text.slice(i));
    if (based) {
      i += based[0].length;
      const [digits, radix] = based[3] ? [based[3], 16] : based[5] ? [based[5], 8] : [based[7], 2];
      return intText(based[1] + digits.replace(/_/g, ''), radix);
    }
    const m = /^(?:True|False|None|true|false|null|[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
    const w = m![0];
    if (w === 'True') return true;
    if (w === 'False') return false;
    if (w === 'None') return null;
    // (templates' text: ansible-core's Json2Python reads JSON's names as Python's constants)
    if (/^[a-z]/.test(w) && !opts.json) fail();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    // Python refuses leading zeros in a decimal integer (007), not in a float (007.5) or zero itself (00)
    if (/^[-+]?0+[1-9]/.test(w) && !/[.eE]/.test(w)) fail();
    const n = Number(w.replace(/_/g, ''));
    return /[.eE]/.test(w) ? pyFloat(n) : Number.isSafeInteger(n) ? n : intText(w.replace(/_/g, ''));
  };
  const string = (): string => {
    const q = text[i++];
    let out = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') {
        const e = text[++i];
        if (e === '0') out += '\0';
        else if (e in PY_ESCAPES) out += PY_ESCAPES[e];
        else if (e === 'x' || e === 'u' || e === 'U') {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(text.slice(i + 1, i + 1 + len), 16));
          i += len;
        } else out += '\\' + e;
        i++;
      } else out += text[i++];
    }
    if (text[i] !== q) fail();
    i++;
    return out;
  };
  try {
    const v = value();
    ws();
    if (i === text.length) return unhashable ?? v;
    // a comma at the top makes a tuple (1,2 / 1,4,7,), as in Python
    if (text[i] !== ',') return undefined;
    const items = [v];
    while (text[i] === ',') {
      i++;
      ws();
      if (i === text.length) break;
      items.push(value());
      ws();
    }
    return i === text.length ? (unhashable ?? tuple(items)) : undefined;
  } catch {
    return undefined;
  }
}
