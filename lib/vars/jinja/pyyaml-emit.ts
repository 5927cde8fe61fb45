import { analyze, ESCAPES, isBreak, printable, type Analysis, type DumpOptions, type Scalar, type Seq, type YMap, type YNode } from './pyyaml-nodes.js';

/**
 * The emitter (libyaml's emitter.c, which ansible-core's CSafeDumper runs; PyYAML's emitter.py has the
 * same states), for the events of one document of nodes, its states as recursive calls.
 */
export class Emitter {
  out = '';
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly lineBreak: string;
  private readonly unicode: boolean;
  private indents: (number | undefined)[] = [];
  private indent: number | undefined = undefined;
  private flowLevel = 0;
  private rootContext = false;
  private simpleKeyContext = false;
  private column = 0;
  private whitespace = true;
  private indention = true;
  /** 1: a plain root scalar was written, 2: a block scalar kept its last line breaks; `...` ends the document. */
  private openEnded = 0;

  constructor(private readonly o: DumpOptions) {
    this.bestIndent = o.indent && o.indent > 1 && o.indent < 10 ? o.indent : 2;
    this.bestWidth = o.width && o.width > this.bestIndent * 2 ? o.width : 80;
    this.lineBreak = o.lineBreak && ['\r', '\n', '\r\n'].includes(o.lineBreak) ? o.lineBreak : '\n';
    this.unicode = o.allowUnicode ?? true;
  }

  document(root: YNode): void {
    if (this.o.explicitStart) {
      this.writeIndent();
      this.writeIndicator('---', true);
    }
    this.child(root, { root: true });
    this.writeIndent();
    // (libyaml 0.2.5 ends an implicit document with `...` only after a block scalar that kept its line breaks)
    if (this.o.explicitEnd || this.openEnded === 2) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === undefined) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop();
  }

  /** A node once written is an alias the next time (the serializer's serialized_nodes). */
  private written = new Set<YNode>();

  private child(n: YNode, ctx: { root?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    const alias = this.written.has(n) && n.anchor !== undefined;
    this.written.add(n);
    this.rootContext = ctx.root ?? false;
    this.simpleKeyContext = ctx.simpleKey ?? false;
    if (alias) {
      this.writeIndicator(`*${n.anchor}`, true);
      return;
    }
    if (n.anchor !== undefined) this.writeIndicator(`&${n.anchor}`, true);
    if (n.t === 'scalar') this.scalar(n);
    else if (n.t === 'seq') {
      if (this.flowLevel || n.flow || n.items.length === 0) this.flowSequence(n);
      else this.blockSequence(n, ctx.mapping ?? false);
    } else if (this.flowLevel || n.flow || n.pairs.length === 0) this.flowMapping(n);
    else this.blockMapping(n);
  }

  private scalar(n: Scalar): void {
    const a = analyze(n.value, this.unicode);
    // (libyaml looks at a tag only where neither implicit flag is set: !vault)
    const tagged = !n.implicit[0] && !n.implicit[1];
    const style = this.chooseStyle(n, a, tagged);
    if (tagged) this.writeIndicator(n.tag, true);
    else if (!n.implicit[1] && style !== '') this.writeIndicator('!', true);
    this.increaseIndent(true);
    const breaks = !this.simpleKeyContext;
    if (style === '"') this.writeDoubleQuoted(n.value, breaks);
    else if (style === "'") this.writeSingleQuoted(n.value, breaks);
    else if (style === '|') this.writeLiteral(n.value);
    else if (style === '>') this.writeFolded(n.value);
    else this.writePlain(n.value, breaks);
    this.popIndent();
  }

  /** yaml_emitter_select_scalar_style. */
  private chooseStyle(n: Scalar, a: Analysis, tagged: boolean): string {
    let style = n.style === undefined || n.style === null ? '' : n.style;
    if (this.simpleKeyContext && a.multiline) style = '"';
    if (style === '') {
      if ((this.flowLevel && !a.allowFlowPlain) || (!this.flowLevel && !a.allowBlockPlain)) style = "'";
      if (a.empty && (this.flowLevel || this.simpleKeyContext)) style = "'";
      if (!tagged && !n.implicit[0]) style = "'";
    }
    if (style === "'" && !a.allowSingle) style = '"';
    if ((style === '|' || style === '>') && (!a.allowBlock || this.flowLevel || this.simpleKeyContext)) style = '"';
    return style;
  }

  /** yaml_emitter_check_simple_key: its length in UTF-8 bytes, at most 128. */
  private simpleKey(n: YNode): boolean {
    let length = n.anchor !== undefined ? n.anchor.length : 0;
    if (this.written.has(n) && n.anchor !== undefined) return length <= 128;
    if (n.t === 'scalar') {
      if (analyze(n.value, this.unicode).multiline) return false;
      if (!n.implicit[0] && !n.implicit[1]) length += n.tag.length;
      length += Buffer.byteLength(n.value);
      return length <= 128;
    }
    return length <= 128 && (n.t === 'seq' ? n.items.length === 0 : n.pairs.length === 0);
  }

  private flowSequence(n: Seq): void {
    this.writeIndicator('[', true, true);
    this.increaseIndent(true);
    this.flowLevel++;
    n.items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.child(item, {});
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false);
  }

  private flowMapping(n: YMap): void {
    this.writeIndicator('{', true, true);
    this.increaseIndent(true);
    this.flowLevel++;
    n.pairs.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simpleKey(k)) {
        this.child(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.child(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.child(v, { mapping: true });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false);
  }

  private blockSequence(n: Seq, mappingContext: boolean): void {
    this.increaseIndent(false, mappingContext && !this.indention);
    for (const item of n.items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.child(item, {});
    }
    this.popIndent();
  }

  private blockMapping(n: YMap): void {
    this.increaseIndent(false);
    for (const [k, v] of n.pairs) {
      this.writeIndent();
      if (this.simpleKey(k)) {
        this.child(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.child(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.child(v, { mapping: true });
    }
    this.popIndent();
  }

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = 0;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private putBreak(): void {
    this.out += this.lineBreak;
    this.column = 0;
  }

  /** WRITE_BREAK: a line break of the text as it is (a `\n` as the emitter's line break). */
  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out += ch;
      this.column = 0;
    }
  }

  private writePlain(s: string, allowBreaks: boolean): void {
    const t = [...s];
    if (!this.whitespace && (t.length || this.flowLevel)) this.put(' ');
    this.writeText(t, allowBreaks, false);
    this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = 1;
  }

  private writeSingleQuoted(s: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true);
    if (this.writeText([...s], allowBreaks, true)) this.writeIndent();
    this.writeIndicator("'", false);
  }

  /**
   * libyaml's plain and single-quoted writers: a lone space past the width breaks the line (not at
   * either end of a quoted text), line breaks are kept (a first `\n` doubled), a quote doubled inside
   * single quotes. Whether it ended in line breaks.
   */
  private writeText(t: string[], allowBreaks: boolean, quoted: boolean): boolean {
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i];
      if (ch === ' ') {
        const inside = !quoted || (i !== 0 && i !== t.length - 1);
        if (allowBreaks && !spaces && this.column > this.bestWidth && inside && t[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (quoted && ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = breaks = false;
      }
    }
    return breaks;
  }

  private writeDoubleQuoted(s: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true);
    const t = [...s];
    let spaces = false;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i];
      const cp = ch.codePointAt(0)!;
      if (!printable(cp) || (!this.unicode && cp > 0x7f) || cp === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        const hex = (w: number) => cp.toString(16).toUpperCase().padStart(w, '0');
        const esc = ESCAPES[ch] !== undefined ? `\\${ESCAPES[ch]}` : cp <= 0xff ? `\\x${hex(2)}` : cp <= 0xffff ? `\\u${hex(4)}` : `\\U${hex(8)}`;
        for (const c of esc) this.put(c);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== t.length - 1) {
          this.writeIndent();
          if (t[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
  }

  /** The block scalar's indentation and chomping hints (yaml_emitter_write_block_scalar_hints). */
  private blockHints(t: string[]): void {
    if (t.length && (t[0] === ' ' || isBreak(t[0]))) this.writeIndicator(String(this.bestIndent), false);
    this.openEnded = 0;
    let chomp = '';
    if (!t.length || !isBreak(t[t.length - 1])) chomp = '-';
    else if (t.length === 1 || isBreak(t[t.length - 2])) {
      chomp = '+';
      this.openEnded = 2;
    }
    if (chomp) this.writeIndicator(chomp, false);
  }

  private writeLiteral(s: string): void {
    const t = [...s];
    this.writeIndicator('|', true);
    this.blockHints(t);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of t) {
      if (isBreak(ch)) {
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeFolded(s: string): void {
    const t = [...s];
    this.writeIndicator('>', true);
    this.blockHints(t);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    let leadingSpaces = true;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i];
      if (isBreak(ch)) {
        if (!breaks && !leadingSpaces && ch === '\n') {
          let k = i;
          while (k < t.length && isBreak(t[k])) k++;
          if (k < t.length && t[k] !== ' ' && t[k] !== '\t') this.putBreak();
        }
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          leadingSpaces = ch === ' ' || ch === '\t';
        }
        if (!breaks && ch === ' ' && t[i + 1] !== ' ' && this.column > this.bestWidth) this.writeIndent();
        else this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
