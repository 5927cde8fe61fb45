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
  private pattern: RegExp | undefined;

  static readonly MASK = '********';

  register(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) return;
    if (this.secrets.has(value) || this.short.has(value)) return;
    if (value.length < 4) this.short.add(value);
    else for (const f of secretForms(value)) this.secrets.add(f);
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRe);
    // short ones: only as a whole quoted value or a whole `key: value` line end
    for (const s of this.short) {
      const j = escapeRe(JSON.stringify(s).slice(1, -1));
      sorted.push(`(?<=")${j}(?=")`, `(?<=\\\\")${escapeRe(JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1))}(?=\\\\")`, `(?<=')${escapeRe(s)}(?=')`, `(?<=: )${escapeRe(s)}(?=$|\\n)`);
    }
    this.pattern = new RegExp(sorted.join('|'), 'gm');
  }

  get active(): boolean {
    return this.secrets.size > 0 || this.short.size > 0;
  }

  /** Whether a text holds a registered secret. */
  holds(text: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text) || this.short.has(text);
  }

  redact(text: string): string {
    return this.pattern ? text.replace(this.pattern, Redactor.MASK) : text;
  }

  /** Deeply redacts a JSON-able value. */
  redactValue<T>(value: T): T {
    if (!this.pattern) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
