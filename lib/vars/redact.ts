/**
 * One redactor every output passes through. Secret values (and their base64 forms) are
 * registered when they are read; `redact` replaces them wherever they appear.
 */
export class Redactor {
  private secrets = new Set<string>();
  private pattern: RegExp | undefined;

  static readonly MASK = '********';

  register(value: unknown): void {
    if (typeof value !== 'string' || value.length < 4) return;
    const forms = [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64').replace(/=+$/, ''), JSON.stringify(value).slice(1, -1)];
    for (const line of value.split('\n')) if (line.trim().length >= 8) forms.push(line.trim());
    for (const f of forms) this.secrets.add(f);
    const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  get active(): boolean {
    return this.secrets.size > 0;
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
