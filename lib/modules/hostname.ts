import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { runOk } from './util/run.js';

const USES = ['systemd', 'debian', 'alpine', 'redhat'] as const;
const Args = Type.Object(
  {
    name: Type.String({ description: 'The host name.' }),
    use: Type.Optional(Type.Union(USES.map((u) => Type.Literal(u)), { description: 'The way to set it (default: systemd where systemd runs, else by distribution).' })),
  },
  { additionalProperties: false },
);

type Strategy = 'systemd' | 'file' | 'alpine' | 'redhat';
/** ansible-core 2.14's Hostname subclasses by distribution (distro.id, capitalized), where systemd does not run. */
const FILE = ['Debian', 'Ubuntu', 'Linuxmint', 'Kali', 'Parrot', 'Linaro', 'Devuan', 'Raspbian', 'Uos', 'Deepin', 'Kylin', 'Neon', 'Void', 'Pop', 'Cumulus-linux'];
const REDHAT = ['Redhat', 'Centos', 'Anolis', 'Cloudlinuxserver', 'Cloudlinux', 'Alinux', 'Scientific', 'Oracle', 'Virtuozzo', 'Amazon', 'Altlinux', 'Eurolinux'];

/** Whether systemd runs (ServiceMgrFactCollector.is_systemd_managed) and the distribution's id. */
const READ = `
if command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }; then sd=1; else sd=0; fi
echo "$sd|$(. /etc/os-release 2>/dev/null; printf %s "$ID")"`;

/** get_distribution: distro.id() capitalized, with ansible-core's two renames. */
const distribution = (id: string) => (id === 'amzn' ? 'Amazon' : id === 'rhel' ? 'Redhat' : id ? id[0].toUpperCase() + id.slice(1).toLowerCase() : 'OtherLinux');

async function strategyOf(ctx: ModuleCtx, use: string | undefined): Promise<{ how: Strategy; current: string; permanent: string }> {
  const [sd, id] = (await runOk(ctx, { shell: READ })).trim().split('|');
  const dist = distribution(id);
  const how: Strategy | undefined = use === 'systemd' || use === 'debian' ? 'systemd' : use === 'alpine' ? 'alpine' : use === 'redhat' ? 'redhat' : sd === '1' ? 'systemd' : FILE.includes(dist) ? 'file' : REDHAT.includes(dist) ? 'redhat' : dist === 'Alpine' ? 'alpine' : undefined;
  if (!how) throw new ModuleFailure(`hostname module cannot be used on platform Linux (${dist})`);
  if (how === 'systemd') {
    const current = (await runOk(ctx, ['hostnamectl', '--transient', 'status'])).trim();
    return { how, current, permanent: (await runOk(ctx, ['hostnamectl', '--static', 'status'])).trim() };
  }
  if (how === 'redhat') {
    const net = (await ctx.files.read('/etc/sysconfig/network'))?.toString('utf8');
    if (net === undefined) throw new ModuleFailure('failed to read hostname: [Errno 2] No such file or directory: \'/etc/sysconfig/network\'');
    const line = net.split('\n').map((l) => l.trim()).find((l) => l.startsWith('HOSTNAME'));
    if (!line) throw new ModuleFailure('Unable to locate HOSTNAME entry in /etc/sysconfig/network');
    const name = line.split('=')[1].trim();
    return { how, current: name, permanent: name };
  }
  const text = (await ctx.files.read('/etc/hostname'))?.toString('utf8').trim() ?? '';
  return { how, current: text, permanent: text };
}

/**
 * A file written where it is, as ansible-core's open(…, 'w+'): /etc/hostname is often a bind
 * mount (containers), which a write through a new file and a rename cannot replace.
 */
async function inPlace(ctx: ModuleCtx, path: string, text: string): Promise<void> {
  const r = await ctx.exec({ shell: `cat > ${shq(path)}` }, { signal: ctx.signal, stdin: text });
  if (r.rc !== 0) throw new ModuleFailure(`failed to update hostname: ${r.stderr.trim()}`);
}

/** The facts the module returns: from the name, and the host's FQDN as it resolves its own name now. */
async function facts(ctx: ModuleCtx, name: string) {
  const fqdn = (await ctx.exec({ shell: 'hostname -f 2>/dev/null || hostname' }, { signal: ctx.signal })).stdout.trim();
  return { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') };
}

/** ansible.builtin.hostname: the host's name, set the way ansible-core 2.14 sets it there (hostnamectl under systemd, else /etc/hostname or /etc/sysconfig/network). */
export default defineModule({
  name: 'hostname',
  kind: 'state',
  description: "The host's name, as ansible.builtin.hostname sets it: hostnamectl (static, pretty and transient) where systemd runs, else /etc/hostname (Debian family; Alpine then runs hostname -F) or /etc/sysconfig/network (Red Hat family).",
  args: Args,
  async check(ctx, a) {
    const now = await strategyOf(ctx, a.use);
    const before = a.name !== now.current ? now.current : now.permanent;
    if (now.current === a.name && now.permanent === a.name) return { kind: 'ok', why: `the host name is ${a.name}`, data: { name: a.name, ansible_facts: await facts(ctx, a.name) } };
    if (a.name.length > 64 && now.how === 'systemd') throw new ModuleFailure('name cannot be longer than 64 characters on systemd servers, try a shorter name');
    const d = {
      kind: 'modify' as const,
      target: 'hostname',
      fields: [{ path: 'name', from: before, to: a.name }],
      // (apply reads the facts after the change; only check mode's result needs them now)
      data: { name: a.name, ...(ctx.checkMode ? { ansible_facts: await facts(ctx, a.name) } : {}), diff: { before: `hostname = ${before}\n`, after: `hostname = ${a.name}\n` } },
      // the way and the names the host had
      keep: now,
    };
    return d;
  },
  async apply(ctx, a, diff) {
    const { how, current, permanent } = diff.keep!;
    if (how === 'systemd') {
      // the permanent name first, as ansible-core does (NetworkManager complains otherwise)
      if (permanent !== a.name) await runOk(ctx, ['hostnamectl', '--pretty', '--static', 'set-hostname', a.name]);
      if (current !== a.name) await runOk(ctx, ['hostnamectl', '--transient', 'set-hostname', a.name]);
    } else if (how === 'redhat') {
      const net = (await ctx.files.read('/etc/sysconfig/network'))?.toString('utf8') ?? '';
      const lines = net.split(/(?<=\n)/).filter((l) => l !== '');
      const at = lines.findIndex((l) => l.trim().startsWith('HOSTNAME'));
      const out = at < 0 ? [...lines, `HOSTNAME=${a.name}\n`] : lines.map((l) => (l.trim().startsWith('HOSTNAME') ? `HOSTNAME=${a.name}\n` : l));
      await inPlace(ctx, '/etc/sysconfig/network', out.join(''));
    } else {
      // Alpine: hostname -F reads the file before it is written, as ansible-core's order has it
      if (how === 'alpine') await runOk(ctx, { shell: `hostname -F ${shq('/etc/hostname')}` });
      await inPlace(ctx, '/etc/hostname', `${a.name}\n`);
    }
    return { ansible_facts: await facts(ctx, a.name) };
  },
});
