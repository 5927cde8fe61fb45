import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { globMatch } from './known-hosts.js';
import { splitWords } from '../../source/splitter.js';
import { BOOLEANS_FALSE } from '../../source/data.js';

/** What it takes to reach one SSH host, after inventory vars and ~/.ssh/config are combined. */
export interface SshTarget {
  alias: string;
  host: string;
  port: number;
  user: string;
  keyFiles: string[];
  password?: string;
  knownHosts: string[];
  acceptNew: boolean;
  /**
   * StrictHostKeyChecking=no (ansible-core's host_key_checking = False): a changed host key still
   * connects, by key only, as OpenSSH does (it turns password and keyboard-interactive logins off
   * against a man in the middle, and keeps the old key).
   */
  allowChanged: boolean;
  jump?: SshTarget;
  connectTimeoutMs: number;
  /** A word of the ssh arguments that is no option (`ansible_ssh_common_args: oops`): ssh would take it for the host, and fail to reach it. */
  stray?: string;
}

export interface SshDefaults {
  /** --ssh-accept-new: StrictHostKeyChecking=accept-new. */
  acceptNew?: boolean;
  /** ansible.cfg's host_key_checking (ANSIBLE_HOST_KEY_CHECKING): false is StrictHostKeyChecking=no, below the host's ansible_host_key_checking. */
  hostKeyChecking?: boolean;
  configFile?: string;
  home?: string;
  /** ansible.cfg's ssh_args (ANSIBLE_SSH_ARGS): the host's ansible_ssh_args, when it has none. */
  args?: string;
  /**
   * ansible.cfg's remote_user, remote_port, private_key_file and timeout (seconds), -u: below the host's
   * vars, over ~/.ssh/config, as the `-o User=`/`Port=`/`IdentityFile=` options ansible-core's ssh
   * plugin puts on the command line are.
   */
  user?: string;
  port?: number;
  keyFile?: string;
  timeout?: number;
}

type Conf = Record<string, string>;

/** The useful subset of ssh_config(5): Host blocks; first value found wins, as in ssh. */
export function readSshConfig(file: string, alias: string): Conf {
  if (!existsSync(file)) return {};
  const out: Conf = {};
  let active = true;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      const pats = value.split(/\s+/);
      active = pats.some((p) => !p.startsWith('!') && globMatch(p, alias)) && !pats.some((p) => p.startsWith('!') && globMatch(p.slice(1), alias));
      continue;
    }
    if (key === 'match') {
      active = false;
      continue;
    }
    if (active && !(key in out)) out[key] = value;
  }
  return out;
}

const tilde = (p: string, home: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);

/**
 * The `-o Name=value` (or `-o Name value`, `-oName=value`) options of ssh command-line arguments, in
 * the order ansible-core's ssh plugin puts them (ssh_args, ssh_common_args, ssh_extra_args): the first
 * value of a name wins, as in ssh. Names lowercased, as readSshConfig keeps them.
 */
export function commandLineOptions(args: unknown[]): Conf {
  const out: Conf = {};
  const words = argWords(args);
  for (let i = 0; i < words.length; i++) {
    const opt = words[i] === '-o' ? words[++i] : words[i].startsWith('-o') ? words[i].slice(2) : undefined;
    if (!opt) continue;
    const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(opt);
    if (m && !(m[1].toLowerCase() in out)) out[m[1].toLowerCase()] = m[2].trim();
  }
  return out;
}

/** The shell words of ssh arguments (those given, one command line; a text that is no shell words is passed over). */
function argWords(args: unknown[]): string[] {
  return args.flatMap((a) => {
    if (a === undefined || a === null) return [];
    try {
      return splitWords(String(a));
    } catch {
      return [];
    }
  });
}

/** ssh(1)'s options that take an argument (the others are flags: -4, -A, -C, -t, -v, …). */
const WITH_ARGUMENT = new Set('BbcDEeFIiJLlmOoPpQRSWw');

/**
 * The first word of ssh command-line arguments that is no option nor an option's argument: on the
 * command line ansible-core's ssh plugin builds (its ssh_args, ssh_common_args and ssh_extra_args
 * before the host), ssh takes it for the host to reach.
 */
export function strayWord(args: unknown[]): string | undefined {
  const words = argWords(args);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-') || w === '-') return w;
    // (flags run together, `-tt`, `-vvv`; the first that takes an argument takes the rest of the word, or the next word)
    for (let j = 1; j < w.length; j++) {
      if (!WITH_ARGUMENT.has(w[j])) continue;
      if (j === w.length - 1) i++;
      break;
    }
  }
  return undefined;
}

/** Parses `user@host:port` (a ProxyJump / -J hop). */
function parseHop(spec: string): { user?: string; host: string; port?: number } {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.trim());
  if (!m) return { host: spec };
  return { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}

/** Resolves a host's SSH settings: inventory ansible_* vars first, then ~/.ssh/config, then defaults. */
export function sshTarget(alias: string, vars: Record<string, unknown>, d: SshDefaults = {}): SshTarget {
  const home = d.home ?? homedir();
  const configFile = d.configFile ?? join(home, '.ssh', 'config');
  // (ansible_ssh_host, the older name, first: ansible-core's MAGIC_VARIABLE_MAPPING order)
  const address = vars.ansible_ssh_host ?? vars.ansible_host;
  const lookupName = String(address ?? alias);
  const conf = { ...readSshConfig(configFile, lookupName), ...(lookupName !== alias ? readSshConfig(configFile, alias) : {}) };
  const keyVar = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  const defaults = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(home, '.ssh', k));
  const keyFiles = [keyVar ? tilde(String(keyVar), home) : undefined, d.keyFile, conf.identityfile ? tilde(conf.identityfile, home) : undefined, ...defaults].filter((k): k is string => Boolean(k) && existsSync(k!));
  // the `-o` options of the command line ansible-core's ssh plugin builds, over ~/.ssh/config
  // (host_key_checking false is `-o StrictHostKeyChecking=no` after ssh_args and before the common and extra args)
  const first = commandLineOptions([vars.ansible_ssh_args ?? d.args]);
  const hostKeyChecking = vars.ansible_host_key_checking ?? vars.ansible_ssh_host_key_checking ?? vars.host_key_checking ?? d.hostKeyChecking;
  // (host_key_checking false in Ansible's words, boolean(); StrictHostKeyChecking's no and off are among them)
  const off: Conf = hostKeyChecking !== undefined && BOOLEANS_FALSE.has(String(hostKeyChecking).toLowerCase()) ? { stricthostkeychecking: 'no' } : {};
  const opts: Conf = { ...commandLineOptions([vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args]), ...off, ...first };
  const checking = String(opts.stricthostkeychecking ?? conf.stricthostkeychecking ?? '').toLowerCase();
  const knownHostsVar = vars.ansible_ssh_known_hosts_file ?? opts.userknownhostsfile ?? conf.userknownhostsfile;
  const target: SshTarget = {
    alias,
    host: String(address ?? conf.hostname ?? alias),
    port: Number(vars.ansible_port ?? vars.ansible_ssh_port ?? d.port ?? conf.port ?? 22),
    user: String(vars.ansible_user ?? vars.ansible_ssh_user ?? d.user ?? conf.user ?? userInfo().username),
    keyFiles: [...new Set(keyFiles)],
    password: (vars.ansible_ssh_pass ?? vars.ansible_password) as string | undefined,
    // (UserKnownHostsFile may name several: the first is where a new host's key goes, /dev/null to keep none)
    knownHosts: knownHostsVar !== undefined ? splitWords(String(knownHostsVar)).map((f) => tilde(f, home)) : [join(home, '.ssh', 'known_hosts')],
    acceptNew: d.acceptNew === true || checking === 'accept-new' || BOOLEANS_FALSE.has(checking),
    allowChanged: BOOLEANS_FALSE.has(checking),
    connectTimeoutMs: Number(vars.ansible_timeout ?? d.timeout ?? 10) * 1000,
  };
  const stray = strayWord([vars.ansible_ssh_args ?? d.args, vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args]);
  if (stray !== undefined) target.stray = stray;
  const common = String(vars.ansible_ssh_common_args ?? '');
  const jumpSpec = /(?:^|\s)-J\s*(\S+)/.exec(common)?.[1] ?? /ProxyJump[= ](\S+)/i.exec(common)?.[1] ?? conf.proxyjump;
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') {
    const hop = parseHop(jumpSpec.split(',')[0]);
    const jumpConf = readSshConfig(configFile, hop.host);
    const jumpVars: Record<string, unknown> = { ansible_host: jumpConf.hostname ?? hop.host, ansible_port: hop.port ?? jumpConf.port ?? 22, ansible_user: hop.user ?? jumpConf.user ?? target.user };
    if (keyVar) jumpVars.ansible_ssh_private_key_file = keyVar;
    target.jump = sshTarget(hop.host, jumpVars, { ...d, acceptNew: target.acceptNew });
    target.jump.knownHosts = target.knownHosts;
    target.jump.allowChanged = target.allowChanged;
  }
  return target;
}
