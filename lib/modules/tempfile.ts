import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { withPathInfo } from './util/fs-node.js';
import { shq } from '../connections/quote.js';

const Args = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('directory')], { description: 'Default file.' })),
    path: Type.Optional(Type.String({ description: 'Where (default the host\'s temp folder).' })),
    prefix: Type.Optional(Type.String({ description: "Default 'ansible.'." })),
    suffix: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Ansible's tempfile: a new temporary file or folder on the host (mktemp); always changed. */
export default defineModule({
  name: 'tempfile',
  kind: 'action',
  description: 'Makes a temporary file or folder on the host (mktemp) and returns its `path`; always changed, as in Ansible.',
  args: Args,
  paths: ['path'],
  async run(ctx, a) {
    // (its AnsibleModule does not support check mode: skipped, nothing made)
    if (ctx.checkMode) return { skipped: true, msg: 'remote module (tempfile) does not support check mode' };
    if (a.prefix?.includes('/') || a.suffix?.includes('/')) throw new ModuleFailure('prefix and suffix cannot hold a /');
    // the template, as Python's tempfile names them: prefix + 8 random characters + suffix
    const template = `${a.prefix ?? 'ansible.'}XXXXXXXX`;
    const dir = a.path ? shq(a.path) : '"${TMPDIR:-/tmp}"';
    const suffix = a.suffix ? ` --suffix=${shq(a.suffix)}` : '';
    const r = await ctx.exec({ shell: `mktemp ${a.state === 'directory' ? '-d ' : ''}-p ${dir}${suffix} ${shq(template)}` });
    if (r.rc !== 0) throw new ModuleFailure(`mktemp: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc });
    const path = r.stdout.trim();
    return { changed: true, data: await withPathInfo(ctx, { path, state: a.state ?? 'file' }) };
  },
});
