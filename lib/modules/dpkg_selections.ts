import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { runTool } from './util/host-tools.js';

const SELECTIONS = ['install', 'hold', 'deinstall', 'purge'] as const;

const Args = Type.Object(
  {
    name: Type.String({ description: 'The package (e.g. kubelet).' }),
    selection: Type.Union(SELECTIONS.map((s) => Type.Literal(s)), { description: "dpkg's selection state: install, hold (apt does not upgrade it), deinstall or purge." }),
  },
  { additionalProperties: false },
);

/** A dpkg command as AnsibleModule.run_command(check_rc=True) runs it: a failure in its words. */
async function dpkg(ctx: ModuleCtx, args: string[], stdin?: string): Promise<string> {
  const r = await runTool(ctx, 'dpkg', args, stdin !== undefined ? { stdin: Buffer.from(stdin) } : {});
  if (r.rc !== 0) throw new ModuleFailure(r.stderr.trimEnd(), { cmd: ['dpkg', ...args].join(' '), rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  return r.stdout;
}

/**
 * ansible.builtin.dpkg_selections: a package's selection (`dpkg --get-selections NAME`; `not
 * present` when dpkg has none), set with `dpkg --set-selections` when it differs; `before` and
 * `after` in the result, as ansible-core 2.14's module.
 */
export default defineModule({
  name: 'dpkg_selections',
  kind: 'state',
  description: "ansible.builtin.dpkg_selections: a Debian package's dpkg selection (install, hold, deinstall, purge) — `hold` keeps apt from upgrading it (kubelet, kubeadm); `before`/`after` in the result.",
  args: Args,
  async check(ctx, a) {
    const out = await dpkg(ctx, ['--get-selections', a.name]);
    const current = out.trim() ? out.split(/\s+/)[1] : 'not present';
    const data = { before: current, after: a.selection };
    if (current === a.selection) return { kind: 'ok', why: `${a.name} is on ${current}`, data };
    return { kind: 'modify', target: a.name, fields: [{ path: 'selection', from: current, to: a.selection }], data };
  },
  async apply(ctx, a, diff) {
    await dpkg(ctx, ['--set-selections'], `${a.name} ${a.selection}`);
    return diff.data;
  },
});
