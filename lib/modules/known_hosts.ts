import { Type } from '../source/vendor/typebox.js';
import { createHmac, randomBytes } from 'node:crypto';
import { defineModule, ModuleFailure, type Diff, type ModuleCtx } from './types.js';
import { withPathInfo } from './util/fs-node.js';

const Args = Type.Object(
  {
    name: Type.String({ description: 'The host (or [host]:port) the key is for.' }),
    key: Type.Optional(Type.String({ description: 'The known_hosts line: HOST TYPE KEY (as ssh-keyscan prints it).' })),
    path: Type.Optional(Type.String({ description: 'The file (default ~/.ssh/known_hosts of the connecting user).' })),
    hash_host: Type.Optional(Type.Boolean({ description: 'Write the host name hashed (|1|salt|hash).' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

interface Entry {
  options?: string;
  host: string;
  type: string;
  key: string;
}

/** ansible-core's normalize_known_hosts_key. */
function parse(line: string): Entry {
  const k = line.trim().split(/\s+/);
  return k[0].startsWith('@') ? { options: k[0], host: k[1], type: k[2], key: k[3] } : { host: k[0], type: k[1], key: k[2] };
}

const same = (a: Entry, b: Entry): boolean => a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key;

/** Whether a known_hosts host field names the host, as ssh-keygen -F finds it (names and |1| hashes). */
function names(field: string, host: string): boolean {
  return field.split(',').some((h) => {
    const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(h);
    if (!hashed) return h.toLowerCase() === host;
    return createHmac('sha1', Buffer.from(hashed[1], 'base64')).update(host).digest('base64') === hashed[2];
  });
}

function hashed(host: string, line: string): string {
  const parts = line.trim().split(/\s+/);
  const i = parts[0].startsWith('@') ? 1 : 0;
  const salt = randomBytes(20);
  parts[i] = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`;
  return parts.join(' ');
}

async function pathOf(ctx: ModuleCtx, a: A): Promise<string> {
  const p = a.path ?? '~/.ssh/known_hosts';
  if (!p.startsWith('~')) return p;
  const home = (await ctx.exec({ shell: 'printf %s "$HOME"' })).stdout || '/root';
  return home + p.slice(1);
}

/** The file as ansible-core's enforce_state leaves it; undefined when nothing changes. */
function enforce(text: string | null, a: A, host: string): string | undefined {
  const state = a.state ?? 'present';
  let key = a.key && a.hash_host ? hashed(host, a.key) : a.key;
  if (key && !key.endsWith('\n')) key += '\n';
  const lines = text === null ? [] : text.split(/(?<=\n)/);
  const matching = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() && !l.trimStart().startsWith('#') && names(parse(l).host, host));
  const found = matching.length > 0;
  let replace = false;
  let line: number | undefined;
  if (found && key) {
    const want = parse(key);
    replace = true;
    for (const { l, i } of matching) {
      const have = parse(l);
      if (want.host.startsWith('|1|') && have.host.startsWith('|1|')) want.host = have.host;
      if (same(want, have)) [replace, line] = [false, i];
      else if (want.type === have.type) line = i;
      else continue;
      break;
    }
  }
  if (state === 'absent' && line === undefined && key) return undefined;
  if (found && !key && state === 'absent') return lines.filter((_, i) => !matching.some((m) => m.i === i)).join('');
  if (!(replace || found !== (state === 'present'))) return undefined;
  const kept = lines.filter((_, i) => !(i === line && (replace || state === 'absent')));
  const body = kept.join('');
  return state === 'present' ? `${body}${body && !body.endsWith('\n') ? '\n' : ''}${key}` : body;
}

/** ansible.builtin.known_hosts: a host's key in a known_hosts file (added, replaced or removed), as ansible-core does it. */
export default defineModule({
  name: 'known_hosts',
  kind: 'state',
  description: "Adds, replaces or removes a host's key in a known_hosts file (names and |1| hashed entries; hash_host), as ansible.builtin.known_hosts.",
  args: Args,
  aliases: { host: 'name' },
  async check(ctx, a) {
    const host = a.name.toLowerCase();
    const state = a.state ?? 'present';
    if (!a.key && state !== 'absent') throw new ModuleFailure('No key specified when adding a host');
    if (a.key && /\S+(\s+)?,(\s+)?/.test(host)) throw new ModuleFailure('Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.');
    if (a.key && !a.hash_host && !names(parse(a.key).host, host)) throw new ModuleFailure('Host parameter does not match hashed host field in supplied key');
    const path = await pathOf(ctx, a);
    const before = (await ctx.files.read(path))?.toString('utf8') ?? null;
    const after = enforce(before, a, host);
    // the module's own diff, in every result (a registered result reads it without --diff), as ansible-core's compute_diff
    const diff = { before_header: before === null ? '/dev/null' : path, after_header: path, before: before ?? '', after: after ?? before ?? '' };
    const data = { name: host, key: a.key ?? null, path, hash_host: a.hash_host ?? false, state, diff };
    if (after === undefined) return { kind: 'ok', why: `${host} is ${state} in ${path}`, data: await withPathInfo(ctx, data) };
    const d: Diff<string> = { kind: before === null ? 'create' : 'modify', target: path, before: before ?? '', after, data, keep: after };
    return d;
  },
  async apply(ctx, _a, diff) {
    const data = diff.data as Record<string, unknown>;
    const path = String(data.path);
    const after = diff.keep!;
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (dir && !(await ctx.files.stat(dir))) await ctx.files.mkdir(dir, '0700');
    await ctx.files.write(path, Buffer.from(String(after)), { mode: '0644' });
    return withPathInfo(ctx, data);
  },
});
