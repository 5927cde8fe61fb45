import { Type } from '../source/vendor/typebox.js';
import { basename } from 'node:path';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ActionResult } from './types.js';
import { splitWords } from '../source/splitter.js';
import { splitlines } from './util/pyfmt.js';

const Args = Type.Object(
  {
    cmd: Type.String({ description: 'The local script (in files/ of the role or beside the playbook) and its arguments.' }),
    creates: Type.Optional(Type.String({ description: 'Skip when this path exists on the host.' })),
    removes: Type.Optional(Type.String({ description: 'Run only when this path exists on the host.' })),
    chdir: Type.Optional(Type.String({ description: 'Run in this folder of the host (absolute).' })),
    executable: Type.Optional(Type.String({ description: 'Run the script with this program (e.g. python3).' })),
    decrypt: Type.Optional(Type.Boolean({ description: 'Accepted for Ansible (no vault here).' })),
  },
  { additionalProperties: false },
);

/** ansible.builtin.script: a controller script copied to a temp folder on the host, run there, removed. */
export default defineModule({
  name: 'script',
  kind: 'action',
  description: 'Copies a local script to the host, runs it with its arguments (creates/removes/chdir/executable), removes it; rc/stdout/stderr as ansible-core returns them.',
  args: Args,
  freeForm: 'cmd',
  aliases: { _raw_params: 'cmd' },
  async run(ctx, a): Promise<ActionResult> {
    if (a.creates && (await ctx.files.stat(a.creates))) return { changed: false, skipped: true, msg: `${a.creates} exists, matching creates option` };
    if (a.removes && !(await ctx.files.stat(a.removes))) return { changed: false, skipped: true, msg: `${a.removes} does not exist, matching removes option` };
    if (a.chdir && !a.chdir.startsWith('/')) throw new ModuleFailure(`chdir ${a.chdir} must be an absolute path for a Unix-aware remote node`);
    const parts = splitWords(a.cmd.trim());
    const source = ctx.local.find(parts[0], 'files');
    if (!source) throw new ModuleFailure(ctx.local.missing(parts[0], 'files'));
    if (ctx.checkMode) return a.creates || a.removes ? { changed: true } : { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    const tmp = (await ctx.exec({ shell: 'mktemp -d "${TMPDIR:-/tmp}/ansible-tmp-XXXXXXXX"' })).stdout.trim();
    if (!tmp) throw new ModuleFailure('could not make a temp folder on the host');
    const remote = `${tmp}/${basename(source)}`;
    try {
      await ctx.files.write(remote, await ctx.local.read(source), { mode: '0700' });
      const command = a.cmd.trim().replace(parts[0], shq(remote));
      const r = await ctx.exec({ shell: a.executable ? `${a.executable} ${command}` : command }, { cwd: a.chdir, keepEnds: true });
      const data = { rc: r.rc, stdout: r.stdout, stdout_lines: splitlines(r.stdout), stderr: r.stderr, stderr_lines: splitlines(r.stderr) };
      if (r.rc !== 0) return { changed: true, failed: true, msg: 'non-zero return code', data };
      return { changed: true, data };
    } finally {
      await ctx.exec(['rm', '-rf', tmp]);
    }
  },
});
