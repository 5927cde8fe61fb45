// Jinja's `{% raw %}…{% endraw %}` as its lexer reads it: the text up to the first endraw (raw
// blocks do not nest), `-%}` after raw dropping the whitespace that follows, no trim_blocks there;
// `{%- endraw` stripping the text's trailing whitespace, lstrip_blocks unless `{%+`, and after
// endraw `-%}` dropping whitespace, `%}` with trim_blocks one line break. nunjucks' own counts
// nested raws, knows no `-` on endraw and trims a line break after raw.

type Token = { type: string; value: string; lineno: number; colno: number };
type Tokenizer = { tags: Record<string, string>; in_code: boolean; trimBlocks: boolean; lstripBlocks: boolean; _extractRegex(re: RegExp): RegExpMatchArray | null };
type Parser = { tokens: Tokenizer; nextToken(): Token; fail(m: string, l?: number, c?: number): never };
type NodeClass = new (lineno: number, colno: number, ...a: unknown[]) => unknown;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function patchRaw(nodes: Record<string, NodeClass>, P: Record<string, unknown>): void {
  const original = P.parseRaw as (this: Parser, tag?: string) => unknown;
  P.parseRaw = function (this: Parser, tagName?: string) {
    if (tagName && tagName !== 'raw') return original.call(this, tagName);
    const begun = this.nextToken();
    const t = this.tokens;
    const [start, end] = [esc(t.tags.BLOCK_START), esc(t.tags.BLOCK_END)];
    const open = t._extractRegex(new RegExp(`^\\s*(-?)${end}`));
    if (!open) this.fail('expected block end in raw statement', begun.lineno, begun.colno);
    if (open[1]) t._extractRegex(/^\s*/);
    const close = t._extractRegex(new RegExp(`^([\\s\\S]*?)${start}([-+]?)\\s*endraw\\s*(?:\\+${end}|-${end}\\s*|${end}${t.trimBlocks ? '\\r?\\n?' : ''})`));
    if (!close) this.fail('Missing end of raw directive', begun.lineno, begun.colno);
    t.in_code = false;
    let text = close[1];
    if (close[2] === '-') text = text.replace(/\s+$/, '');
    // (lstrip_blocks: the spaces and tabs before endraw's tag on its own line)
    else if (close[2] !== '+' && t.lstripBlocks) text = text.replace(/(^|\n)[ \t]+$/, '$1');
    return new nodes.Output(begun.lineno, begun.colno, [new nodes.TemplateData(begun.lineno, begun.colno, text)]);
  };
}
