import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { pyRegex } from '../source/pyregex.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { activeConnections, CONNECTION_STATES, hexAddresses } from './util/tcp-table.js';
import { portOpen, portSays } from './util/port-probe.js';

const Args = Type.Object(
  {
    host: Type.Optional(Type.String({ description: 'Address to probe, as the host sees it (default 127.0.0.1: the host itself).' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'TCP port to wait for.' })),
    path: Type.Optional(Type.String({ description: 'A file on the host to wait for (or for a text in it, with search_regex) instead of a port.' })),
    search_regex: Type.Optional(Type.String({ description: "A Python regular expression (MULTILINE) the file, or what the port sends, must match; match_groups and match_groupdict hold its groups." })),
    state: Type.Optional(Type.Union(['started', 'stopped', 'present', 'absent', 'drained'].map((s) => Type.Literal(s)), { description: "started/present (default), stopped/absent, or drained: no active connection on the port's address." })),
    exclude_hosts: Type.Optional(Type.Array(Type.String(), { description: 'state=drained: connections from these hosts do not count.' })),
    active_connection_states: Type.Optional(Type.Array(Type.String(), { description: "state=drained: the TCP states that count as active (default ESTABLISHED, FIN_WAIT1, FIN_WAIT2, SYN_RECV, SYN_SENT, TIME_WAIT)." })),
    timeout: Type.Optional(Type.Number({ description: 'Seconds to wait (default 300); without port or path, the seconds to sleep.' })),
    delay: Type.Optional(Type.Number({ description: 'Seconds before the first probe.' })),
    sleep: Type.Optional(Type.Number({ description: 'Seconds between probes (default 1).' })),
    connect_timeout: Type.Optional(Type.Number({ description: 'Seconds a connection may take (default 5).' })),
    msg: Type.Optional(Type.String({ description: 'The failure message on a timeout.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

/** What a probe found: the condition holds (with the regex's groups), not yet, or a failure that ends the wait. */
type Probe = { done: boolean; groups?: (string | null)[]; named?: Record<string, string | null>; fail?: string };

/** Python's `re` over bytes: the file's bytes as latin1 text (one character a byte), its groups back as UTF-8 text. */
function search(re: RegExp, data: Buffer): Pick<Probe, 'groups' | 'named'> | undefined {
  const m = re.exec(data.toString('latin1'));
  if (!m) return undefined;
  const text = (s: string | undefined) => (s === undefined ? null : Buffer.from(s, 'latin1').toString('utf8'));
  return { groups: m.slice(1).map(text), named: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, text(v)])) };
}

/** One look at a path: there (os.stat's answer, read fresh: the command drops what the step's file cache knew), and its text matched. */
async function probePath(ctx: ModuleCtx, path: string, wantUp: boolean, re: RegExp | undefined): Promise<Probe> {
  const there = (await ctx.exec(['test', '-e', path], { signal: ctx.signal })).rc === 0;
  if (!wantUp) return { done: !there };
  if (!there) return { done: false };
  if (!re) return { done: true };
  const found = search(re, (await ctx.files.read(path).catch(() => null)) ?? Buffer.alloc(0));
  return found ? { done: true, ...found } : { done: false };
}

async function probePort(ctx: ModuleCtx, a: A, host: string, wantUp: boolean, seconds: number, left: number): Promise<Probe> {
  if (wantUp && a.search_regex !== undefined) return portSays(ctx, host, a.port!, a.search_regex, seconds, left);
  const open = await portOpen(ctx, host, a.port!, seconds);
  return { done: open === wantUp };
}

/** ansible-core's checks of the arguments, before it waits (their failures have elapsed 0). */
function refused(a: A, state: string): string | undefined {
  if (a.port && a.path) return 'port and path parameter can not both be passed to wait_for';
  if (a.path && state === 'stopped') return 'state=stopped should only be used for checking a port in the wait_for module';
  if (a.path && state === 'drained') return 'state=drained should only be used for checking a port in the wait_for module';
  if (a.exclude_hosts !== undefined && state !== 'drained') return 'exclude_hosts should only be with state=drained';
  const unknown = (a.active_connection_states ?? []).find((s) => !(s in CONNECTION_STATES));
  if (unknown !== undefined) return `unknown active_connection_state (${unknown}) defined`;
  return undefined;
}

function timeoutMessage(a: A, host: string, state: string): string {
  if (state === 'drained') return `Timeout when waiting for ${host}:${a.port} to drain`;
  if (state === 'absent' || state === 'stopped') return a.port ? `Timeout when waiting for ${host}:${a.port} to stop.` : `Timeout when waiting for ${a.path} to be absent.`;
  if (a.port) return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${host}:${a.port}` : `Timeout when waiting for ${host}:${a.port}`;
  return a.search_regex !== undefined ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
}

/**
 * ansible.builtin.wait_for, as its module waits on the host: for a port (connected to by the host:
 * its 127.0.0.1 is the host itself), a file (or a text in it), their absence, a port's connections
 * to drain (the host's /proc/net/tcp), or just `timeout` seconds. It never changes anything, and
 * (not supporting check mode, as ansible-core's) is skipped in check mode.
 */
export default defineModule({
  name: 'wait_for',
  kind: 'state',
  description: "ansible.builtin.wait_for: waits on the host for a TCP port (started, stopped, drained of connections), a file (present, absent, a search_regex in it), or timeout seconds; its result's elapsed, match_groups, match_groupdict.",
  args: Args,
  async check() {
    return { kind: 'run' };
  },
  async apply(ctx, a) {
    const state = a.state ?? 'started';
    const no = refused(a, state);
    if (no) throw new ModuleFailure(no, { elapsed: 0 });
    let re: RegExp | undefined;
    try {
      re = a.search_regex === undefined ? undefined : pyRegex(a.search_regex, { multiline: true });
    } catch (e) {
      throw new ModuleFailure(`Invalid regular expression: ${(e as Error).message}`);
    }
    const host = a.host ?? '127.0.0.1';
    const start = ctx.now();
    const elapsed = () => Math.floor(ctx.now() - start);
    // (at least s seconds by the clock elapsed reads, as Python's time.sleep: a timer may fire a
    // millisecond early by the wall clock, and elapsed floors)
    const pause = async (s: number) => {
      const until = ctx.now() + s;
      for (let left = s; left > 0; left = until - ctx.now()) await sleep(Math.ceil(left * 1000), undefined, { signal: ctx.signal });
    };
    if (a.delay) await pause(a.delay);
    let found: Probe = { done: true };
    if (a.port === undefined && a.path === undefined && state !== 'drained') await pause(a.timeout ?? 300);
    else {
      const end = start + (a.timeout ?? 300);
      const wantUp = state === 'started' || state === 'present';
      const targets = state === 'drained' ? { ips: await hexAddresses(ctx, host), excluded: (await Promise.all((a.exclude_hosts ?? []).map((h) => hexAddresses(ctx, h)))).flat() } : undefined;
      for (;;) {
        if (ctx.now() >= end) throw new ModuleFailure(a.msg ?? timeoutMessage(a, host, state), { elapsed: elapsed() });
        const seconds = Math.min(a.connect_timeout ?? 5, Math.ceil(end - ctx.now()));
        if (targets) found = { done: (await activeConnections(ctx, a.port!, targets.ips, targets.excluded, a.active_connection_states)) === 0 };
        else found = a.path !== undefined ? await probePath(ctx, a.path, wantUp, re) : await probePort(ctx, a, host, wantUp, seconds, end - ctx.now());
        if (found.fail) throw new ModuleFailure(found.fail, { elapsed: elapsed() });
        if (found.done) break;
        await pause(a.sleep ?? 1);
      }
    }
    return { changed: false, state, port: a.port ?? null, search_regex: a.search_regex ?? null, match_groups: found.groups ?? [], match_groupdict: found.named ?? {}, path: a.path ?? null, elapsed: elapsed() };
  },
});
