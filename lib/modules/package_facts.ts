import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { factsResult } from './util/facts-result.js';

/** ansible-core's package managers: the ones agri-play reads, and the ones it does not (their tool is looked for). */
const READ = ['apt', 'rpm', 'apk'];
const NOT_READ: Record<string, string> = { portage: 'qlist', pkg: 'pkg', pacman: 'pacman', pkg_info: 'pkg_info' };
const Args = Type.Object(
  {
    manager: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: "auto (default: the first the host has), apt, rpm or apk; portage, pkg, pacman and pkg_info are ansible-core's too: agri-play fails where the host has one of them, and passes it over where not." })),
    strategy: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('all')], { description: 'first (default): the first manager found; all: every one.' })),
  },
  { additionalProperties: false },
);

// each manager's installed packages, one tab-separated line each
const QUERY: Record<string, string> = {
  apt: `command -v dpkg-query >/dev/null && dpkg-query -W -f='\${db:Status-Status}\\t\${Package}\\t\${Version}\\t\${Architecture}\\t\${Section}\\t\${Origin}\\n'`,
  rpm: `command -v rpm >/dev/null && rpm -qa --queryformat 'installed\\t%{NAME}\\t%{VERSION}\\t%{ARCH}\\t%{RELEASE}\\t%{EPOCH}\\n'`,
  apk: `command -v apk >/dev/null && apk info -v 2>/dev/null | sed 's/^/installed\\t/'`,
};

type Pkg = Record<string, unknown>;

function parse(manager: string, out: string, into: Record<string, Pkg[]>): void {
  for (const line of out.split('\n')) {
    const [status, ...f] = line.split('\t');
    if (status !== 'installed' || !f[0]) continue;
    let p: Pkg;
    if (manager === 'apt') p = { name: f[0], version: f[1], arch: f[2], category: f[3], ...(f[4] ? { origin: f[4] } : {}), source: 'apt' };
    else if (manager === 'rpm') p = { name: f[0], version: f[1], release: f[3], epoch: f[4] === '(none)' ? null : Number(f[4]), arch: f[2], source: 'rpm' };
    else {
      // apk info -v: NAME-VERSION-rREL
      const m = /^(.+)-([^-]+-r\d+)$/.exec(f[0]);
      p = { name: m?.[1] ?? f[0], version: m?.[2] ?? '', source: 'apk' };
    }
    (into[String(p.name)] ??= []).push(p);
  }
}

/** ansible.builtin.package_facts: the host's installed packages in `ansible_facts.packages` (apt through dpkg-query, rpm, apk). */
export default defineModule({
  name: 'package_facts',
  kind: 'action',
  description: "The host's installed packages as ansible_facts.packages: name → [{name, version, arch, …, source}] (apt, rpm, apk).",
  args: Args,
  async run(ctx, a) {
    const asked = [...new Set((Array.isArray(a.manager) ? a.manager : [a.manager ?? 'auto']).map((m) => m.toLowerCase()).flatMap((m) => (m === 'auto' ? READ : [m])))];
    // (ansible-core's words for a name it does not know)
    const unknown = asked.filter((m) => !QUERY[m] && !NOT_READ[m]);
    if (unknown.length) throw new ModuleFailure(`Unsupported package managers requested: ${unknown.join(', ')}`);
    const packages: Record<string, Pkg[]> = {};
    let found = 0;
    for (const m of asked) {
      if (NOT_READ[m]) {
        const has = await ctx.exec({ shell: `command -v ${NOT_READ[m]} >/dev/null` });
        if (has.rc === 0) throw new ModuleFailure(`agri-play does not read ${m}'s packages (apt, rpm and apk only), and this host has ${NOT_READ[m]}`);
        continue;
      }
      const r = await ctx.exec({ shell: QUERY[m] });
      if (r.rc !== 0) continue;
      parse(m, r.stdout, packages);
      found++;
      if (a.strategy !== 'all') break;
    }
    if (!found) throw new ModuleFailure(`Could not detect a supported package manager from the following list: ${asked.join(', ')}, or the required Python library is not installed. Check warnings for details.`);
    return factsResult({ packages });
  },
});
