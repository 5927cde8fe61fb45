/**
 * ansible-core 2.14's iptables rule: the arguments of `iptables -t TABLE -A CHAIN …` in the order
 * its construct_rule puts them (that order is what `-C` and the result's `rule` see).
 */
export interface RuleParams {
  wait?: string;
  protocol?: string;
  source?: string;
  destination?: string;
  match: string[];
  tcp_flags?: { flags?: string[]; flags_set?: string[] };
  jump?: string;
  gateway?: string;
  log_prefix?: string;
  log_level?: string;
  to_destination?: string;
  destination_ports: string[];
  to_source?: string;
  goto?: string;
  in_interface?: string;
  out_interface?: string;
  fragment?: string;
  set_counters?: string;
  source_port?: string;
  destination_port?: string;
  to_ports?: string;
  set_dscp_mark?: string;
  set_dscp_mark_class?: string;
  syn: string;
  ctstate: string[];
  src_range?: string;
  dst_range?: string;
  match_set?: string;
  match_set_flags?: string;
  limit?: string;
  limit_burst?: string;
  uid_owner?: string;
  gid_owner?: string;
  reject_with?: string;
  icmp_type?: string;
  comment?: string;
  ip_version: 'ipv4' | 'ipv6';
}

export function constructRule(p: RuleParams): string[] {
  const rule: string[] = [];
  /** append_param: `! FLAG value` for a value starting with `!`. */
  const param = (v: string | undefined, flag: string) => {
    if (v === undefined || v === null) return;
    if (v.startsWith('!')) rule.push('!', flag, v.slice(1));
    else rule.push(flag, v);
  };
  const matchFlag = (v: string | undefined, flag: string, negatable: boolean) => {
    if (v === 'match') rule.push(flag);
    else if (negatable && v === 'negate') rule.push('!', flag);
  };
  const csv = (v: string[], flag: string) => {
    if (v.length) rule.push(flag, v.join(','));
  };
  const match = (on: unknown, name: string) => {
    if (on && !(Array.isArray(on) && !on.length)) rule.push('-m', name);
  };
  if (p.wait) rule.push('-w', p.wait);
  param(p.protocol, '-p');
  param(p.source, '-s');
  param(p.destination, '-d');
  for (const m of p.match) param(m, '-m');
  if (p.tcp_flags?.flags && p.tcp_flags.flags_set) rule.push('--tcp-flags', p.tcp_flags.flags.join(','), p.tcp_flags.flags_set.join(','));
  param(p.jump, '-j');
  if (p.jump?.toLowerCase() === 'tee') param(p.gateway, '--gateway');
  param(p.log_prefix, '--log-prefix');
  param(p.log_level, '--log-level');
  param(p.to_destination, '--to-destination');
  match(p.destination_ports, 'multiport');
  csv(p.destination_ports, '--dports');
  param(p.to_source, '--to-source');
  param(p.goto, '-g');
  param(p.in_interface, '-i');
  param(p.out_interface, '-o');
  param(p.fragment, '-f');
  param(p.set_counters, '-c');
  param(p.source_port, '--source-port');
  param(p.destination_port, '--destination-port');
  param(p.to_ports, '--to-ports');
  param(p.set_dscp_mark, '--set-dscp');
  param(p.set_dscp_mark_class, '--set-dscp-class');
  matchFlag(p.syn, '--syn', true);
  if (p.match.includes('conntrack')) csv(p.ctstate, '--ctstate');
  else if (p.match.includes('state')) csv(p.ctstate, '--state');
  else if (p.ctstate.length) (match(p.ctstate, 'conntrack'), csv(p.ctstate, '--ctstate'));
  if (p.match.includes('iprange')) (param(p.src_range, '--src-range'), param(p.dst_range, '--dst-range'));
  else if (p.src_range || p.dst_range) (match(true, 'iprange'), param(p.src_range, '--src-range'), param(p.dst_range, '--dst-range'));
  // append_match_flag(rule, 'match', match_set_flags): the flags word follows the set's name
  if (p.match.includes('set')) (param(p.match_set, '--match-set'), p.match_set_flags && rule.push(p.match_set_flags));
  else if (p.match_set) (match(true, 'set'), param(p.match_set, '--match-set'), p.match_set_flags && rule.push(p.match_set_flags));
  match(p.limit || p.limit_burst, 'limit');
  param(p.limit, '--limit');
  param(p.limit_burst, '--limit-burst');
  match(p.uid_owner, 'owner');
  matchFlag(p.uid_owner, '--uid-owner', true);
  param(p.uid_owner, '--uid-owner');
  match(p.gid_owner, 'owner');
  matchFlag(p.gid_owner, '--gid-owner', true);
  param(p.gid_owner, '--gid-owner');
  if (p.jump === undefined && p.reject_with) rule.push('-j', 'REJECT');
  param(p.reject_with, '--reject-with');
  param(p.icmp_type, p.ip_version === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  match(p.comment, 'comment');
  param(p.comment, '--comment');
  return rule;
}
