/** Python's repr of a string (how a secret looks inside a list or dict written into text). */
const pyQuoted = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;

/** Every form a secret can take in output: raw, base64, JSON-escaped at any depth, URL-encoded, shell- and YAML-/Python-quoted. */
export function secretForms(value: string): string[] {
  // how it is written into text: raw, URL-encoded, shell-, YAML- and Python-quoted
  const base = [value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+'), value.replace(/'/g, `'"'"'`), value.replace(/'/g, `'\\''`), value.replace(/'/g, "''"), pyQuoted(value).slice(1, -1)];
  const forms = new Set<string>();
  // each of them inside JSON, inside JSON inside JSON, ... (journals hold events that hold JSON)
  for (const b of base) {
    let json = b;
    forms.add(b);
    for (let depth = 0; depth < 3; depth++) {
      json = JSON.stringify(json).slice(1, -1);
      forms.add(json);
    }
  }
  for (const f of [...forms]) {
    const b64 = Buffer.from(f).toString('base64');
    forms.add(b64);
    forms.add(b64.replace(/=+$/, ''));
  }
  for (const line of value.split('\n')) if (line.trim().length >= 8) forms.add(line.trim());
  return [...forms].filter((f) => f.length > 0);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One redactor every output passes through. Secret values are registered when they are read
 * (Doppler, secret-looking env lookups, `| secret`, values derived from a secret by a filter);
 * `redact` replaces every form of them wherever they appear. Secrets shorter than 4 characters
 * are masked where they are a whole value (a JSON string, a YAML/diff value), not inside words.
 */
export class Redactor {
  private secrets = new Set<string>();
  private short = new Set<string>();
  /** Every form by its first KEY characters, longest first: a scan looks up each position once. */
  private index = new Map<string, string[]>();
  private shortPattern: RegExp | undefined;

  static readonly MASK = '********';

  register(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) return;
    if (this.secrets.has(value) || this.short.has(value)) return;
    if (value.length < 4) {
      this.short.add(value);
      // short ones: only as a whole quoted value or a whole `key: value` line end
      const alts = [...this.short].flatMap((s) => {
        const j = escapeRe(JSON.stringify(s).slice(1, -1));
        return [`(?<=")${j}(?=")`, `(?<=\\\\")${escapeRe(JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1))}(?=\\\\")`, `(?<=')${escapeRe(s)}(?=')`, `(?<=: )${escapeRe(s)}(?=$|\\n)`];
      });
      this.shortPattern = new RegExp(alts.join('|'), 'gm');
      return;
    }
    for (const f of secretForms(value)) {
      if (this.secrets.has(f) || f.length < KEY) continue;
      this.secrets.add(f);
      const k = f.slice(0, KEY);
      const list = this.index.get(k);
      if (!list) this.index.set(k, [f]);
      else {
        list.push(f);
        list.sort((a, b) => b.length - a.length);
      }
    }
  }

  get active(): boolean {
    return this.secrets.size > 0 || this.short.size > 0;
  }

  /** Whether a text holds a registered secret. */
  holds(text: string): boolean {
    if (this.find(text, 0) !== undefined || this.short.has(text)) return true;
    if (!this.shortPattern) return false;
    this.shortPattern.lastIndex = 0;
    return this.shortPattern.test(text);
  }

  /** Every form of every secret replaced by the mask (the leftmost, longest one first). */
  redact(text: string): string {
    if (!this.active) return text;
    let out = '';
    let last = 0;
    for (let at = this.find(text, 0); at !== undefined; at = this.find(text, last)) {
      out += text.slice(last, at[0]) + Redactor.MASK;
      last = at[0] + at[1];
    }
    out = last === 0 ? text : out + text.slice(last);
    return this.shortPattern ? out.replace(this.shortPattern, Redactor.MASK) : out;
  }

  /** Deeply redacts a JSON-able value. */
  redactValue<T>(value: T): T {
    if (!this.active) return value;
    const text = JSON.stringify(value);
    const masked = this.redact(text);
    return masked === text ? value : (JSON.parse(masked) as T);
  }

  /** The first secret form at or after `from`: [position, length]. */
  private find(text: string, from: number): [number, number] | undefined {
    if (this.index.size === 0) return undefined;
    for (let i = from; i + KEY <= text.length; i++) {
      const forms = this.index.get(text.slice(i, i + KEY));
      if (!forms) continue;
      for (const f of forms) if (text.startsWith(f, i)) return [i, f.length];
    }
    return undefined;
  }
}

/** How many leading characters index a secret's forms (every form of a secret of 4+ characters is at least this long). */
const KEY = 4;
