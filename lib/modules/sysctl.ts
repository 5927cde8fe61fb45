import { Type } from '../source/vendor/typebox.js';
import { defineModule, type Diff } from './types.js';
import { applyEdit, checkEdit, joinLines, splitLines } from './util/edit.js';
import { runOk } from './util/run.js';

const Args = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_.\\-/]+$', description: 'net.ipv4.ip_forward' }),
    value: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    sysctl_file: Type.Optional(Type.String({ description: 'Default /etc/sysctl.conf.' })),
    reload: Type.Optional(Type.Boolean({ description: 'sysctl -p the file after it changed (default true).' })),
    sysctl_set: Type.Optional(Type.Boolean({ description: 'Also check the running value and set it with sysctl -w (default false).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const norm = (v: unknown) => String(v === true ? 1 : v === false ? 0 : v).trim().split(/\s+/).join(' ');
const keyRe = (name: string) => new RegExp(`^\\s*${name.replace(/[.]/g, '[./]')}\\s*=`);

/** The file with the key set once (where it was first, else appended) or removed. */
function edit(a: A, text: string) {
  const { lines } = splitLines(text);
  const re = keyRe(a.name);
  const at = lines.findIndex((l) => re.test(l));
  const kept = lines.filter((l, i) => !re.test(l) || (i === at && (a.state ?? 'present') === 'present'));
  if ((a.state ?? 'present') === 'present') {
    const line = `${a.name}=${norm(a.value)}`;
    const i = kept.findIndex((l) => re.test(l));
    if (i >= 0) kept[i] = line;
    else kept.push(line);
  }
  return { text: joinLines(kept), msg: '' };
}

export default defineModule({
  name: 'sysctl',
  kind: 'state',
  description: 'A kernel parameter in a sysctl file (and, with sysctl_set, in the running kernel); the file is reloaded only when it changed.',
  args: Args,
  async check(ctx, a) {
    const file = a.sysctl_file ?? '/etc/sysctl.conf';
    const present = (a.state ?? 'present') === 'present';
    const inFile = !present && !(await ctx.files.stat(file)) ? ({ kind: 'ok', why: `${file} does not exist` } as const) : await checkEdit(ctx, { path: file, create: true }, (t) => edit(a, t));
    let running: string | undefined;
    if (a.sysctl_set && present) running = norm(await runOk(ctx, ['cat', `/proc/sys/${a.name.replace(/\./g, '/')}`]));
    const runDiffers = running !== undefined && running !== norm(a.value);
    const data = { name: a.name, value: present ? norm(a.value) : undefined, file, running };
    if (inFile.kind === 'ok' && !runDiffers) return { kind: 'ok', why: `${a.name} is ${present ? norm(a.value) : 'absent'} in ${file}${running !== undefined ? ' and the running kernel' : ''}`, data };
    const base: Exclude<Diff, { kind: 'ok' }> & { newText?: string } = inFile.kind === 'ok' ? { kind: 'modify', target: a.name, fields: [] } : inFile;
    const fields = [...(base.fields ?? []), ...(runDiffers ? [{ path: `running ${a.name}`, from: running, to: norm(a.value) }] : [])];
    return { ...base, fields, data: { ...data, fileChanged: inFile.kind !== 'ok', runDiffers } };
  },
  async apply(ctx, a, diff) {
    const file = a.sysctl_file ?? '/etc/sysctl.conf';
    const d = diff.data as { fileChanged: boolean; runDiffers: boolean };
    if (d.fileChanged) await applyEdit(ctx, { path: file, create: true }, diff);
    if (d.runDiffers) await runOk(ctx, ['sysctl', '-w', `${a.name}=${norm(a.value)}`]);
    if (d.fileChanged && a.reload !== false) await runOk(ctx, ['sysctl', '-p', file]);
  },
});
