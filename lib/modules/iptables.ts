import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { asList, optList, optOneOf, optStr } from './util/arg-types.js';
import { constructRule, type RuleParams } from './util/iptables-rule.js';
import { missingTool, SBIN_PATH } from './util/host-tools.js';

const str = optStr;
const list = optList;
const oneOf = optOneOf;

const Args = Type.Object(
  {
    table: oneOf('filter', 'nat', 'mangle', 'raw', 'security'),
    state: oneOf('absent', 'present'),
    action: oneOf('append', 'insert'),
    ip_version: oneOf('ipv4', 'ipv6'),
    chain: str('The chain (INPUT, FORWARD, … or a chain of your own).'),
    rule_num: str('Where `action: insert` puts the rule (1 = first).'),
    protocol: str(),
    wait: str('Seconds to wait for the xtables lock (-w).'),
    source: str(),
    to_source: str(),
    destination: str(),
    to_destination: str(),
    match: list('Match extensions (-m), in order.'),
    tcp_flags: Type.Optional(Type.Object({ flags: Type.Optional(Type.Array(Type.String())), flags_set: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false })),
    jump: str(),
    gateway: str(),
    log_prefix: str(),
    log_level: oneOf('0', '1', '2', '3', '4', '5', '6', '7', 'emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'),
    goto: str(),
    in_interface: str(),
    out_interface: str(),
    fragment: str(),
    set_counters: str(),
    source_port: str(),
    destination_port: str(),
    destination_ports: list('Ports for -m multiport --dports.'),
    to_ports: str(),
    set_dscp_mark: str(),
    set_dscp_mark_class: str(),
    comment: str(),
    ctstate: list('Connection states (-m conntrack --ctstate).'),
    src_range: str(),
    dst_range: str(),
    match_set: str(),
    match_set_flags: oneOf('src', 'dst', 'src,dst', 'dst,src'),
    limit: str(),
    limit_burst: str(),
    uid_owner: str(),
    gid_owner: str(),
    reject_with: str(),
    icmp_type: str(),
    syn: oneOf('ignore', 'match', 'negate'),
    flush: Type.Optional(Type.Boolean()),
    policy: oneOf('ACCEPT', 'DROP', 'QUEUE', 'RETURN'),
    chain_management: Type.Optional(Type.Boolean({ description: 'Create the chain for a rule in it, delete it with state: absent and no rule.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;


type Mode = 'flush' | 'policy' | 'chain' | 'rule';
/** What apply needs and the result does not show. */
export interface Plan {
  mode: Mode;
  params: RuleParams;
  data: Record<string, unknown>;
  bin: string;
  chainPresent?: boolean;
}

/** `iptables -t TABLE ACTION CHAIN [RULE_NUM] [RULE…]`, as push_arguments builds it (no chain: none given). */
function argv(bin: string, a: A, action: string, rule?: string[]): string[] {
  return [bin, '-t', a.table ?? 'filter', action, ...(a.chain !== undefined ? [a.chain] : []), ...(action === '-I' && a.rule_num ? [a.rule_num] : []), ...(rule ?? [])];
}

/** One script: the binary (get_bin_path also looks in the sbin folders), its version, then each probe's exit code and output. */
async function probe(ctx: ModuleCtx, name: string, probes: (bin: string) => string[][]): Promise<{ bin: string; version: number[]; out: { rc: number; text: string }[] }> {
  const body = probes('"$b"')
    .map((p) => `o=$(${p.map((w) => (w === '"$b"' ? w : shq(w))).join(' ')} 2>&1); printf '\\n@@%s\\n%s' "$?" "$o"`)
    .join('\n');
  const script = `b=$(${SBIN_PATH} command -v ${name}) || { echo none; exit 0; }\necho "$b"\n"$b" --version 2>&1 | head -n1\n${body}`;
  // a read: shared by the host's steps (and it leaves the host's cached file reads) until something changes the host
  const r = await ctx.shared(`iptables\0${script}`, (exec) => exec({ shell: script }, { signal: ctx.signal }));
  const [head, ...parts] = r.stdout.split('\n@@');
  const [bin, version = ''] = head.split('\n');
  if (bin === 'none') throw missingTool(name);
  const out = parts.map((p) => {
    const nl = p.indexOf('\n');
    return { rc: Number(p.slice(0, nl)), text: p.slice(nl + 1) };
  });
  return { bin, version: (version.split('v')[1] ?? '').split(/[^\d.]/)[0].split('.').map(Number), out };
}

const older = (v: number[], than: number[]) => {
  for (let i = 0; i < than.length; i++) if ((v[i] ?? 0) !== than[i]) return (v[i] ?? 0) < than[i];
  return false;
};

/** ansible.builtin.iptables (ansible-core 2.14): one rule, a chain's policy, a flush, or a chain of one's own. */
export default defineModule({
  name: 'iptables',
  kind: 'state',
  description: "A rule present or absent in a chain (checked with iptables -C, then -A/-I/-D), a chain's policy, a flush, or a user chain (chain_management), as ansible.builtin.iptables.",
  args: Args,
  async check(ctx, a) {
    if (a.set_dscp_mark !== undefined && a.set_dscp_mark_class !== undefined) throw new ModuleFailure('parameters are mutually exclusive: set_dscp_mark|set_dscp_mark_class');
    if (a.flush && a.policy !== undefined) throw new ModuleFailure('parameters are mutually exclusive: flush|policy');
    if (a.jump?.toLowerCase() === 'tee' && a.gateway === undefined) throw new ModuleFailure(`jump is ${a.jump} but all of the following are missing: gateway`);
    const ip = a.ip_version ?? 'ipv4';
    const params: RuleParams = { ...a, ip_version: ip, match: asList(a.match), destination_ports: asList(a.destination_ports), ctstate: asList(a.ctstate), syn: a.syn ?? 'ignore' };
    if (a.match_set !== undefined && a.match_set_flags === undefined && !params.match.includes('set')) throw new ModuleFailure('match_set needs match_set_flags (ansible-core 2.14 fails without it)');
    const state = a.state ?? 'present';
    const rule = constructRule(params).join(' ');
    const data = { ip_version: ip, table: a.table ?? 'filter', chain: a.chain ?? null, flush: a.flush ?? false, rule, state, chain_management: a.chain_management ?? false };
    if (!a.flush && a.chain === undefined) throw new ModuleFailure('Either chain or flush parameter must be specified.');
    if (a.log_prefix || a.log_level) {
      if (params.jump === undefined) params.jump = 'LOG';
      else if (params.jump !== 'LOG') throw new ModuleFailure('Logging options can only be used with the LOG jump target.');
    }
    const mode: Mode = a.flush ? 'flush' : a.policy ? 'policy' : state === 'absent' && !rule ? 'chain' : 'rule';
    const probes = (b: string, p: RuleParams): string[][] => (mode === 'policy' || mode === 'chain' ? [argv(b, a, '-L')] : mode === 'rule' ? [argv(b, a, '-C', constructRule(p)), argv(b, a, '-L')] : []);
    const name = ip === 'ipv6' ? 'ip6tables' : 'iptables';
    let found = await probe(ctx, name, (b) => probes(b, params));
    // before 1.4.20 there is no -w; before 1.6.0 it takes no seconds
    const wait = older(found.version, [1, 4, 20]) ? undefined : older(found.version, [1, 6, 0]) ? '' : params.wait;
    if (wait !== params.wait) found = await probe(ctx, name, (b) => probes(b, { ...params, wait }));
    params.wait = wait;
    const plan: Plan = { mode, params, data, bin: found.bin };
    let changed: boolean;
    let why = '';
    if (mode === 'flush') changed = true;
    else if (mode === 'policy') {
      const [l] = found.out;
      if (l.rc !== 0) throw new ModuleFailure(l.text.trimEnd(), { rc: l.rc, stdout: '', stderr: l.text });
      const current = /\(policy ([A-Z]+)\)/.exec(l.text.split('\n')[0])?.[1];
      if (!current) throw new ModuleFailure("Can't detect current policy");
      changed = current !== a.policy;
      why = `policy is ${current}`;
    } else if (mode === 'chain') {
      changed = found.out[0].rc === 0;
      why = 'no such chain';
    } else {
      const present = found.out[0].rc === 0;
      changed = present !== (state === 'present');
      plan.chainPresent = present || found.out[1].rc === 0;
      why = present ? 'rule present' : 'rule absent';
    }
    if (!changed) return { kind: 'ok', why, data };
    return { kind: mode === 'flush' || mode === 'policy' ? 'modify' : state === 'present' ? 'create' : 'remove', target: `${data.table}/${a.chain ?? '*'}`, data, keep: plan };
  },
  async apply(ctx, a, diff) {
    const plan = diff.keep!;
    const { bin, params, mode } = plan;
    const cmds: string[][] = [];
    if (mode === 'flush') cmds.push(argv(bin, a, '-F'));
    else if (mode === 'policy') cmds.push([...argv(bin, a, '-P'), a.policy!]);
    else if (mode === 'chain') {
      if (a.chain_management) cmds.push(argv(bin, a, '-X'));
    } else if ((a.state ?? 'present') === 'present') {
      if (!plan.chainPresent && a.chain_management) cmds.push(argv(bin, a, '-N'));
      cmds.push(argv(bin, a, a.action === 'insert' ? '-I' : '-A', constructRule(params)));
    } else cmds.push(argv(bin, a, '-D', constructRule(params)));
    for (const cmd of cmds) {
      const r = await ctx.exec(cmd, { signal: ctx.signal });
      if (r.rc !== 0) throw new ModuleFailure(r.stderr.trimEnd(), { cmd: cmd.join(' '), rc: r.rc, stdout: r.stdout, stderr: r.stderr });
    }
    return { ...plan.data };
  },
});
