import { ModuleFailure, type Diff, type ModuleCtx } from '../types.js';
import { applyContent, checkContent } from './content.js';

export interface EditArgs {
  path: string;
  create?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
}

/** Reads a text file, applies `edit` to its lines, and checks the result like `copy` would. */
export async function checkEdit(ctx: ModuleCtx, a: EditArgs, edit: (text: string) => { text: string; msg: string }): Promise<Diff & { newText?: string }> {
  const have = await ctx.files.read(a.path);
  if (have === null && !a.create) throw new ModuleFailure(`Destination ${a.path} does not exist !`, { rc: 257 });
  const { text, msg } = edit(have ? have.toString('utf8') : '');
  const diff = await checkContent(ctx, a.path, Buffer.from(text), a, true, a.create === true);
  if (diff.kind === 'ok') return { ...diff, why: msg || diff.why };
  return { ...diff, data: { ...diff.data, msg }, newText: text };
}

export async function applyEdit(ctx: ModuleCtx, a: EditArgs, diff: Exclude<Diff, { kind: 'ok' }> & { newText?: string }): Promise<{ backup_file?: string }> {
  return applyContent(ctx, a.path, Buffer.from(diff.newText ?? ''), a, diff, a.create === true);
}

export function splitLines(text: string): { lines: string[]; trailing: boolean } {
  if (text === '') return { lines: [], trailing: true };
  const trailing = text.endsWith('\n');
  return { lines: (trailing ? text.slice(0, -1) : text).split('\n'), trailing };
}

export function joinLines(lines: string[]): string {
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Where to insert: after the last line matching insertafter (or EOF), before the first matching insertbefore (or BOF). */
export function insertIndex(lines: string[], insertafter?: string, insertbefore?: string): number {
  if (insertbefore) {
    if (insertbefore === 'BOF') return 0;
    const re = new RegExp(insertbefore);
    const i = lines.findIndex((l) => re.test(l));
    return i >= 0 ? i : lines.length;
  }
  if (insertafter && insertafter !== 'EOF') {
    const re = new RegExp(insertafter);
    let last = -1;
    lines.forEach((l, i) => {
      if (re.test(l)) last = i;
    });
    return last >= 0 ? last + 1 : lines.length;
  }
  return lines.length;
}
