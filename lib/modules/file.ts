import { Type } from '@sinclair/typebox';
import { defineModule, ModuleFailure, type FieldChange } from './types.js';
import { FileAttrs } from './util/content.js';
import { applyAttrs, modeChange, normalizeMode, ownerChanges } from './util/mode.js';

const Args = Type.Object(
  {
    path: Type.String({ description: 'The path to manage.' }),
    state: Type.Optional(Type.Union(['file', 'directory', 'absent', 'touch', 'link'].map((s) => Type.Literal(s)), { description: 'What the path should be.' })),
    src: Type.Optional(Type.String({ description: 'Link target (state=link).' })),
    force: Type.Optional(Type.Boolean()),
    recurse: Type.Optional(Type.Boolean()),
    modification_time: Type.Optional(Type.String({ description: "'preserve' keeps touch idempotent." })),
    access_time: Type.Optional(Type.String()),
    ...FileAttrs,
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'file',
  kind: 'state',
  description: 'Makes a path a directory, a file (attributes only), a symlink, touched, or absent.',
  args: Args,
  aliases: { dest: 'path', name: 'path' },
  async check(ctx, a) {
    const st = await ctx.files.stat(a.path);
    const state = a.state ?? (st?.type === 'directory' ? 'directory' : st?.type === 'link' ? 'link' : 'file');
    const mode = normalizeMode(a.mode);
    const data = { path: a.path, state };
    const attrs = async (): Promise<FieldChange[]> => [...modeChange(st, mode), ...(await ownerChanges(ctx, a.path, a.owner, a.group))];
    switch (state) {
      case 'absent':
        return st ? { kind: 'remove', target: a.path, fields: [{ path: 'state', from: st.type, to: 'absent' }], data } : { kind: 'ok', why: `${a.path} is absent`, data };
      case 'directory': {
        if (!st) return { kind: 'create', target: a.path, fields: [{ path: 'state', from: 'absent', to: 'directory' }, ...(mode ? [{ path: 'mode', to: mode }] : [])], data };
        if (st.type !== 'directory') throw new ModuleFailure(`${a.path} exists and is a ${st.type}, not a directory`);
        const f = await attrs();
        return f.length ? { kind: 'modify', target: a.path, fields: f, data } : { kind: 'ok', why: `${a.path} is a directory`, data };
      }
      case 'link': {
        if (!a.src) throw new ModuleFailure('state=link needs src');
        if (st?.type === 'link' && st.linkTarget === a.src) return { kind: 'ok', why: `${a.path} links to ${a.src}`, data };
        if (st && st.type !== 'link' && !a.force) throw new ModuleFailure(`${a.path} exists and is a ${st.type}; use force: true to replace it with a link`);
        return { kind: st ? 'modify' : 'create', target: a.path, fields: [{ path: 'src', from: st?.linkTarget, to: a.src }], data };
      }
      case 'touch': {
        if (!st) return { kind: 'create', target: a.path, fields: [{ path: 'state', from: 'absent', to: 'file' }], data };
        const f = await attrs();
        const preserve = a.modification_time === 'preserve' && a.access_time === 'preserve';
        if (!preserve) f.push({ path: 'mtime', to: 'now' });
        return f.length ? { kind: 'modify', target: a.path, fields: f, data } : { kind: 'ok', why: `${a.path} exists`, data };
      }
      default: {
        if (!st) throw new ModuleFailure(`file (${a.path}) is absent, cannot continue`, { path: a.path, state: 'absent' });
        const f = await attrs();
        return f.length ? { kind: 'modify', target: a.path, fields: f, data } : { kind: 'ok', why: `${a.path} has the wanted attributes`, data };
      }
    }
  },
  async apply(ctx, a, diff) {
    const run = async (argv: string[]) => {
      const r = await ctx.exec(argv);
      if (r.rc !== 0) throw new ModuleFailure(`${argv[0]} failed: ${r.stderr.trim()}`);
    };
    const fields = diff.fields ?? [];
    if (diff.kind === 'remove') return void (await run(['rm', '-rf', '--', a.path]));
    if (a.state === 'directory' && diff.kind === 'create') await ctx.files.mkdir(a.path, normalizeMode(a.mode));
    if (a.state === 'link') await run(['ln', '-sfn', '--', a.src!, a.path]);
    if (a.state === 'touch') await run(['touch', '--', a.path]);
    const mode = normalizeMode(a.mode);
    const attrFields = diff.kind === 'create' && mode ? [{ path: 'mode', to: mode }] : fields;
    await applyAttrs(ctx, a.path, attrFields);
  },
});
