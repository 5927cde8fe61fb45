import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type Diff, type FieldChange } from './types.js';
import { applyEdit, checkEdit, joinLines, splitLines } from './util/edit.js';
import { runOk } from './util/run.js';

const Args = Type.Object(
  {
    path: Type.String({ pattern: '^/', description: 'Mount point.' }),
    src: Type.Optional(Type.String({ description: 'Device, UUID=…, LABEL=…, or server:/export.' })),
    fstype: Type.Optional(Type.String()),
    opts: Type.Optional(Type.String({ description: "Mount options (default 'defaults')." })),
    dump: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
    passno: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
    state: Type.Union([Type.Literal('mounted'), Type.Literal('present'), Type.Literal('unmounted'), Type.Literal('absent')]),
    fstab: Type.Optional(Type.String({ description: 'Default /etc/fstab.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** fstab with this mount point's line as asked (present/mounted), gone (absent), or as it is. */
function edit(a: A, text: string) {
  const { lines } = splitLines(text);
  const mine = (l: string) => !/^\s*#/.test(l) && l.trim().split(/\s+/)[1] === a.path;
  if (a.state === 'absent') return { text: joinLines(lines.filter((l) => !mine(l))), msg: '' };
  if (!a.src || !a.fstype) throw new ModuleFailure(`state=${a.state} needs src and fstype`);
  const line = [a.src, a.path, a.fstype, a.opts ?? 'defaults', a.dump ?? 0, a.passno ?? 0].join(' ');
  // the line where the first one for this mount point was (others for it dropped), else appended
  const at = lines.findIndex(mine);
  const out = lines.flatMap((l, i) => (!mine(l) ? [l] : i === at ? [line] : []));
  if (at < 0) out.push(line);
  return { text: joinLines(out), msg: '' };
}

export default defineModule({
  name: 'mount',
  kind: 'state',
  description: 'A mount point in fstab and/or mounted: present (fstab only), mounted (fstab + mounted), unmounted (not mounted, fstab kept), absent (neither).',
  args: Args,
  async check(ctx, a) {
    const fstab = a.fstab ?? '/etc/fstab';
    const keep = a.state === 'unmounted' || (a.state === 'absent' && !(await ctx.files.stat(fstab)));
    const inFile = keep ? ({ kind: 'ok', why: `${fstab} stays as it is` } as const) : await checkEdit(ctx, { path: fstab, create: true }, (t) => edit(a, t));
    const mounted = (await runOk(ctx, ['cat', '/proc/mounts'])).split('\n').some((l) => l.split(' ')[1] === a.path);
    const want = a.state === 'mounted' ? true : a.state === 'unmounted' || a.state === 'absent' ? false : undefined;
    const fields: FieldChange[] = want !== undefined && want !== mounted ? [{ path: 'mounted', from: mounted, to: want }] : [];
    const data = { path: a.path, src: a.src, fstype: a.fstype, opts: a.opts ?? 'defaults', fstab, mounted };
    if (inFile.kind === 'ok' && !fields.length) return { kind: 'ok', why: `${a.path} is ${a.state}`, data };
    const base: Exclude<Diff, { kind: 'ok' }> & { newText?: string } = inFile.kind === 'ok' ? { kind: 'modify', target: a.path, fields: [] } : inFile;
    return { ...base, fields: [...(base.fields ?? []), ...fields], data: { ...data, fstabChanged: inFile.kind !== 'ok', mount: fields.length ? want : undefined } };
  },
  async apply(ctx, a, diff) {
    const d = diff.data as { fstabChanged: boolean; mount?: boolean; fstab: string };
    if (d.mount === false) await runOk(ctx, ['umount', a.path]);
    if (d.fstabChanged) await applyEdit(ctx, { path: d.fstab, create: true }, diff);
    if (d.mount === true) {
      await runOk(ctx, ['mkdir', '-p', a.path]);
      await runOk(ctx, ['mount', ...(a.fstype ? ['-t', a.fstype] : []), '-o', a.opts ?? 'defaults', a.src!, a.path]);
    }
  },
});
