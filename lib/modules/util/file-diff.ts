// The `diff` ansible-core's file-writing modules return in their results, with or without --diff.
import type { Diff, FieldChange, ModuleCtx } from '../types.js';
import { NEW_FILE } from './content.js';
import { nameFiles, type Names } from './names.js';

/**
 * set_fs_attributes_if_different's diff: owner and group as ids, the mode as '0%03o', each where it
 * changes (a created file starts as 0644, written by atomic_move under umask 022).
 */
export async function attrDiff(ctx: ModuleCtx, path: string, created: boolean, fields: FieldChange[]): Promise<{ before?: Record<string, unknown>; after?: Record<string, unknown> }> {
  const b: Record<string, unknown> = {};
  const f: Record<string, unknown> = {};
  const st = created ? null : await ctx.files.stat(path);
  const ids = fields.some((x) => x.path === 'owner' || x.path === 'group') ? await nameFiles(ctx) : [];
  for (const key of ['owner', 'group', 'mode']) {
    const c = fields.find((x) => x.path === key);
    if (!c) continue;
    if (key === 'mode') {
      const from = c.from ?? NEW_FILE.mode;
      if (from !== c.to) ((b.mode = from), (f.mode = c.to));
      continue;
    }
    const to = idOf(String(c.to), ids[key === 'owner' ? 0 : 1] ?? null);
    if (!st || to === undefined) continue;
    ((b[key] = key === 'owner' ? st.uid : st.gid), (f[key] = to));
  }
  return Object.keys(b).length ? { before: b, after: f } : {};
}

/** A user or group given by name or id, as its id. */
function idOf(name: string, names: Names | null): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  for (const [id, n] of names ?? []) if (n === name) return id;
  return undefined;
}

/**
 * Whether copy's or template's check finds content to write (a file to make or replace); else the
 * action runs the file module, whose result it returns: the file's path, no md5sum.
 */
export const writes = (d: Diff): boolean => d.kind === 'create' || (d.kind !== 'ok' && (d.fields ?? []).some((f) => f.path === 'content' || f.path === 'type'));

/** ansible-core's MAX_FILE_SIZE_FOR_DIFF: a larger file's text is not in a diff. */
const MAX_DIFF = 104448;

/** Whether a check's fields change an attribute set_fs_attributes_if_different reports. */
export const changesAttrs = (fields: FieldChange[]): boolean => fields.some((f) => f.path === 'mode' || f.path === 'owner' || f.path === 'group');

/**
 * copy's and template's `diff` (their action's): where the content changes, `[]`, or under --diff
 * _get_diff_data's one entry (the file there, then the source: `source`, the controller file, or
 * for `content` the action's temp file, a random name, here `DEST (content)`); otherwise the file
 * module's that the action runs, the path with what set_fs_attributes changes. (A promise only
 * where something is read: every unchanged file's step takes the plain value.)
 */
export function copyDiff(ctx: ModuleCtx, target: string, d: Diff, source: string, want: Buffer): unknown {
  const fields = d.kind === 'ok' ? [] : (d.fields ?? []);
  if (!writes(d)) {
    if (!changesAttrs(fields)) return { before: { path: target }, after: { path: target } };
    return attrDiff(ctx, target, false, fields).then((a) => ({ before: { path: target, ...a.before }, after: { path: target, ...a.after } }));
  }
  return ctx.diffMode ? diffData(ctx, target, d, source, want) : [];
}

async function diffData(ctx: ModuleCtx, target: string, d: Diff, source: string, want: Buffer): Promise<unknown[]> {
  const out: Record<string, unknown> = {};
  const have = d.kind === 'create' ? null : await ctx.files.read(target);
  if (!have) out.before = '';
  else if (have.subarray(0, 8192).includes(0)) out.dst_binary = 1;
  else if (have.length > MAX_DIFF) out.dst_larger = MAX_DIFF;
  else ((out.before_header = target), (out.before = have.toString('utf8')));
  if (want.length > MAX_DIFF) out.src_larger = MAX_DIFF;
  else if (want.includes(0)) out.src_binary = 1;
  else ((out.after_header = source), (out.after = want.toString('utf8')));
  return [out];
}
