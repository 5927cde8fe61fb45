import { spread } from '../../source/index.js';
import { ModuleFailure, type Diff, type ModuleCtx } from '../types.js';
import { applyContent, checkContent } from './content.js';
import { attrDiff, changesAttrs } from './file-diff.js';

export interface EditArgs {
  path: string;
  create?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
  validate?: string;
}

/**
 * The `diff` an editing module returns in its result, with or without --diff (the texts only with):
 * - `list`: lineinfile's and blockinfile's `[content, file attributes]`, the content alone for a
 *   file check mode would create;
 * - `content`: ini_file's content;
 * - `replace`: replace's, only under --diff where the text changes, headed by the bare path.
 */
export type EditDiff = 'list' | 'content' | 'replace';

/** Reads a text file, applies `edit` to its lines, and checks the result like `copy` would. */
export async function checkEdit(ctx: ModuleCtx, a: EditArgs, edit: (text: string) => { text: string; msg: string }, shape: EditDiff = 'list'): Promise<Diff & { newText?: string }> {
  const have = await ctx.files.read(a.path);
  if (have === null && !a.create) throw new ModuleFailure(`Destination ${a.path} does not exist !`, { rc: 257 });
  const before = have ? have.toString('utf8') : '';
  const { text, msg } = edit(before);
  const diff = await checkContent(ctx, a.path, Buffer.from(text), a, { mkdirs: a.create === true, result: false });
  const fields = diff.kind === 'ok' ? [] : (diff.fields ?? []);
  const shown = editDiff(ctx, a.path, shape, before, text, have === null, changesAttrs(fields) ? await attrDiff(ctx, a.path, have === null, fields) : undefined);
  // (unchanged, the module's msg is there all the same: '' unless it says why)
  if (diff.kind === 'ok') return spread(diff, { why: msg || diff.why, data: spread(diff.data, { msg }, shown) }) as Diff;
  return spread(diff, { data: spread(diff.data, { msg }, shown), newText: text }) as Diff & { newText: string };
}

function editDiff(ctx: ModuleCtx, path: string, shape: EditDiff, before: string, after: string, created: boolean, attrs: { before?: unknown; after?: unknown } | undefined): { diff?: unknown } {
  const texts = ctx.diffMode === true;
  if (shape === 'replace') return texts && before !== after ? { diff: { before_header: path, before, after_header: path, after } } : {};
  const content = contentDiff(path, texts ? before : '', texts ? after : '');
  if (shape === 'content' || (created && ctx.checkMode)) return { diff: content };
  const headers = { before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` };
  return { diff: [content, attrs?.before ? { before: attrs.before, after: attrs.after, ...headers } : headers] };
}

/** An editing module's content diff of `path` (its texts only under --diff). */
export const contentDiff = (path: string, before: string, after: string) => ({ before, after, before_header: `${path} (content)`, after_header: `${path} (content)` });

/** A text's lines as Python's readlines gives them: each with its \n, the last perhaps without. */
export const readlines = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

export async function applyEdit(ctx: ModuleCtx, a: EditArgs, diff: Exclude<Diff, { kind: 'ok' }> & { newText?: string }): Promise<{ backup_file?: string }> {
  return applyContent(ctx, a.path, Buffer.from(diff.newText ?? ''), a, diff, a.create === true);
}
