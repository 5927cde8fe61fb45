// A PAM service file as community.general's pamd module reads, edits and writes it (its PamdService
// and PamdRule, ported line for line): comments, @include lines and blank lines kept as they are,
// rules parsed into type, control (a bracketed one as its value=action words), module path and
// arguments, and written back re-spaced (`{type: <11}{control} {path} {args}`).
import { splitlines } from '../../source/pystr.js';

export const VALID_TYPES = ['account', '-account', 'auth', '-auth', 'password', '-password', 'session', '-session'];
const SIMPLE_CONTROLS = ['required', 'requisite', 'sufficient', 'optional', 'include', 'substack', 'definitive'];
const CONTROL_VALUES = ['success', 'open_err', 'symbol_err', 'service_err', 'system_err', 'buf_err', 'perm_denied', 'auth_err', 'cred_insufficient', 'authinfo_unavail', 'user_unknown', 'maxtries', 'new_authtok_reqd', 'acct_expired', 'session_err', 'cred_unavail', 'cred_expired', 'cred_err', 'no_module_data', 'conv_err', 'authtok_err', 'authtok_recover_err', 'authtok_lock_busy', 'authtok_disable_aging', 'try_again', 'ignore', 'abort', 'authtok_expired', 'module_unknown', 'bad_item', 'conv_again', 'incomplete', 'default'];
const CONTROL_ACTIONS = ['ignore', 'bad', 'die', 'ok', 'done', 'reset'];

const RULE_REGEX = /(-?(?:auth|account|session|password))\s+(\[.*\]|\S*)\s+(\S*)\s*(.*)\s*/;
const RULE_ARG_REGEX = /(\[.*\]|\S*)/g;

/** parse_module_arguments: None is [] (or null with orNull), [''] is [], each text split into its words and bracketed parts. */
export function parseArgs(given: string | string[] | null | undefined, orNull = false): string[] | null {
  if (given === undefined || given === null) return orNull ? null : [];
  const list = Array.isArray(given) ? given : [given];
  if (list.length === 1 && !list[0]) return [];
  return list.flatMap((arg) => [...arg.matchAll(RULE_ARG_REGEX)].map((m) => m[1]).filter(Boolean));
}

/** A rule: its control a word, or a bracketed one's value=action words. */
export class PamRule {
  private ctl: string | string[] = '';
  private argv: string[] = [];
  constructor(
    public type: string,
    control: string,
    public path: string,
    args: string | string[] | null = null,
  ) {
    this.control = control;
    this.args = parseArgs(args) ?? [];
  }

  get control(): string {
    return Array.isArray(this.ctl) ? `[${this.ctl.join(' ')}]` : this.ctl;
  }
  set control(c: string) {
    this.ctl = c.startsWith('[') ? c.replaceAll(' = ', '=').replaceAll('[', '').replaceAll(']', '').split(' ') : c;
  }
  get args(): string[] {
    return this.argv;
  }
  set args(a: string[]) {
    this.argv = parseArgs(a) ?? [];
  }

  matches(type: string, control: string, path: string): boolean {
    return type === this.type && control === this.control && path === this.path;
  }

  toString(): string {
    return `${this.type.padEnd(11)}${this.control} ${this.path}${this.args.length ? ` ${this.args.join(' ')}` : ''}`;
  }

  /** PamdRule.validate: why the rule is not valid, else undefined. */
  invalid(): string | undefined {
    if (!VALID_TYPES.includes(this.type)) return `Rule type, ${this.type}, is not valid in rule ${this}`;
    if (!Array.isArray(this.ctl)) return SIMPLE_CONTROLS.includes(this.ctl) ? undefined : `Rule control, ${this.ctl}, is not valid in rule ${this}`;
    for (const c of this.ctl) {
      const [value, action] = c.split('=');
      if (!CONTROL_VALUES.includes(value)) return `Rule control value, ${value}, is not valid in rule ${this}`;
      if (!CONTROL_ACTIONS.includes(action) && !/^\s*[+]?\d+\s*$/.test(action ?? '')) return `Rule control action, ${action}, is not valid in rule ${this}`;
    }
    return undefined;
  }
}

/** A line that is no rule: a comment, an @include, a blank line (each valid only as the module checks it). */
class PamLine {
  constructor(
    readonly line: string,
    private readonly kind: 'comment' | 'include' | 'empty',
  ) {}
  matches(): boolean {
    return false;
  }
  toString(): string {
    return this.line;
  }
  invalid(): string | undefined {
    const ok = this.kind === 'comment' ? this.line.startsWith('#') : this.kind === 'include' ? this.line.startsWith('@include') : this.line.trim() === '';
    return ok ? undefined : `Rule is not valid ${this.line}`;
  }
  /** Comments and blank lines are passed over when looking for the rule beside another. */
  get filler(): boolean {
    return this.kind !== 'include';
  }
}

type Line = PamRule | PamLine;
type NewRule = { type?: string; control?: string; path?: string; args?: string[] | null };


/** PamdService: the file's lines in order, and the module's edits of them (each returns how many rules changed). */
export class PamService {
  lines: Line[] = [];

  constructor(content: string) {
    for (const line of splitlines(content)) {
      const l = line.trimStart();
      if (l.startsWith('#')) this.lines.push(new PamLine(line, 'comment'));
      else if (l.startsWith('@include')) this.lines.push(new PamLine(line, 'include'));
      else if (line.trim() === '') this.lines.push(new PamLine(line, 'empty'));
      else {
        const m = RULE_REGEX.exec(line);
        // (the module's rule_from_string ends in a traceback on such a line)
        if (!m) throw new Error(`Rule is not valid ${line}`);
        this.lines.push(new PamRule(m[1], m[2], m[3], m[4]));
      }
    }
  }

  private rules(type: string, control: string, path: string): PamRule[] {
    return this.lines.filter((l): l is PamRule => l instanceof PamRule && l.matches(type, control, path));
  }

  remove(type: string, control: string, path: string): number {
    const before = this.lines.length;
    this.lines = this.lines.filter((l) => !(l instanceof PamRule && l.matches(type, control, path)));
    return before - this.lines.length;
  }

  update(type: string, control: string, path: string, n: NewRule): number {
    const args = parseArgs(n.args, true);
    let changes = 0;
    for (const r of this.rules(type, control, path)) {
      let changed = false;
      if (n.type && r.type !== n.type) ((r.type = n.type), (changed = true));
      if (n.control && r.control !== n.control) ((r.control = n.control), (changed = true));
      if (n.path && r.path !== n.path) ((r.path = n.path), (changed = true));
      if (args !== null && r.args.join('\0') !== args.join('\0')) ((r.args = args), (changed = true));
      if (changed) changes++;
    }
    return changes;
  }

  /**
   * insert_before/insert_after: the new rule beside each matching one, unless the nearest rule on
   * that side (comments and blank lines passed over) is it already. As the module relinks its list,
   * the comments and blank lines between the two rules go; after the last rule, every line after it.
   */
  insert(where: 'before' | 'after', type: string, control: string, path: string, n: { type: string; control: string; path: string; args: string[] | null }): number {
    const filler = (l: Line | undefined) => l instanceof PamLine && l.filler;
    let changes = 0;
    for (const r of this.rules(type, control, path)) {
      const at = this.lines.indexOf(r);
      const rule = () => new PamRule(n.type, n.control, n.path, n.args);
      if (where === 'before') {
        let p = at - 1;
        while (p >= 0 && filler(this.lines[p])) p--;
        if (p < 0) this.lines.splice(at, 0, rule());
        else if (this.lines[p].matches(n.type, n.control, n.path)) continue;
        else this.lines.splice(p + 1, at - p - 1, rule());
      } else {
        let q = at + 1;
        while (q < this.lines.length && filler(this.lines[q])) q++;
        if (q < this.lines.length && this.lines[q].matches(n.type, n.control, n.path)) continue;
        this.lines.splice(at + 1, q - at - 1, rule());
      }
      changes++;
    }
    return changes;
  }

  addArgs(type: string, control: string, path: string, given: string[]): number {
    const adding = parseArgs(given) ?? [];
    const split = (args: string[]) => {
      const simple = new Set<string>();
      const kv = new Map<string, string>();
      for (const a of args) {
        if (a.startsWith('[')) continue;
        if (a.includes('=')) kv.set(a.split('=')[0], a.split('=')[1]);
        else simple.add(a);
      }
      return { simple, kv };
    };
    const want = split(adding);
    let changes = 0;
    for (const r of this.rules(type, control, path)) {
      const have = split(r.args);
      const extra = [...want.simple].filter((a) => !have.simple.has(a));
      for (const [k, v] of want.kv) if (!have.kv.has(k)) extra.push(`${k}=${v}`);
      let changed = extra.length > 0;
      const args = [...r.args, ...extra];
      for (const [k, v] of want.kv) {
        if (have.kv.has(k) && have.kv.get(k) !== v) {
          args[args.indexOf(`${k}=${have.kv.get(k)}`)] = `${k}=${v}`;
          changed = true;
        }
      }
      r.args = args;
      if (changed) changes++;
    }
    return changes;
  }

  removeArgs(type: string, control: string, path: string, given: string[]): number {
    const removing = parseArgs(given) ?? [];
    let changes = 0;
    for (const r of this.rules(type, control, path)) {
      if (!r.args.some((a) => removing.includes(a))) continue;
      r.args = r.args.filter((a) => !removing.includes(a));
      changes++;
    }
    return changes;
  }

  /** The first line that is not valid, in the module's words. */
  invalid(): string | undefined {
    for (const l of this.lines) {
      const why = l.invalid();
      if (why) return why;
    }
    return undefined;
  }

  /** The file as the module writes it: its mark ("# Updated by Ansible - TIME") on the second line. */
  toString(time: string): string {
    const lines = this.lines.map(String);
    const mark = `# Updated by Ansible - ${time}`;
    if (lines.length <= 1) lines.splice(0, 0, '', mark);
    else if (lines[1].startsWith('# Updated by Ansible')) lines[1] = mark;
    else lines.splice(1, 0, mark);
    return lines.join('\n') + '\n';
  }
}
