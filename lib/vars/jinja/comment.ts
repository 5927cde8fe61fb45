// ansible-core's comment filter (plugins/filter/core.py), as it composes the text.
import { PyError, num, str } from '../../source/python.js';
import { splitKw } from './methods.js';

const STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** The text commented in a style: its beginning, prefix lines, each line decorated (no trailing space on an empty one), postfix lines, end. */
export function comment(text: unknown, ...a: unknown[]): string {
  const [args, kw] = splitKw(a);
  const name = str(args[0] ?? kw.style ?? 'plain');
  const style = STYLES[name];
  if (!style) throw new PyError('KeyError', `'${name}'`);
  const { style: _, ...given } = kw;
  const around = str(given.decoration ?? style.decoration);
  const p: Record<string, unknown> = { newline: '\n', beginning: '', prefix: around.trimEnd(), prefix_count: 1, decoration: '', postfix: around.trimEnd(), postfix_count: 1, end: '', ...style, ...given };
  const [nl, deco] = [str(p.newline), str(p.decoration)];
  const beginning = p.beginning ? `${str(p.beginning)}${nl}` : '';
  const prefix = p.prefix ? (p.prefix !== nl ? `${str(p.prefix)}${nl}` : nl).repeat(num(p.prefix_count)) : '';
  const body = (deco + str(text).replaceAll(nl, nl + deco)).replaceAll(deco + nl, deco.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: num(p.postfix_count) }, () => str(p.postfix))].join(nl);
  const end = p.end ? `${nl}${str(p.end)}` : '';
  return beginning + prefix + body + postfix + end;
}
