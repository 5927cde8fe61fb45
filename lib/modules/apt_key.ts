import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { downloadCmd, requireTools, SBIN_PATH } from './util/host-tools.js';

const Args = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'The key id: 8, 16 or more hex digits (0x allowed); read from the key when not given.' })),
    url: Type.Optional(Type.String({ description: 'Where the host downloads the key from (curl or wget).' })),
    data: Type.Optional(Type.String({ description: 'The key itself (armored).' })),
    file: Type.Optional(Type.String({ description: 'A key file on the host.' })),
    keyring: Type.Optional(Type.String({ description: 'The keyring file (apt-key --keyring); default the trusted keyring.' })),
    validate_certs: Type.Optional(Type.Boolean()),
    keyserver: Type.Optional(Type.String({ description: 'A keyserver to receive the key (by id) from.' })),
    state: Type.Optional(Type.Union([Type.Literal('absent'), Type.Literal('present')])),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const C = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C' };

/** parse_output_for_keys: the ids of the pub/sub lines that are not expired (`pub ed25519/ID …`, or gpg's colon format). */
function keysIn(output: string, short = false): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const code = line.split(/\s+/)[1]?.split('/');
    if (code?.length === 2) found.push(code[1]);
    else {
      const t = line.split(':');
      if (t.length > 4) found.push(t[4]);
    }
  }
  return short ? found.map((k) => k.slice(-8)) : found;
}

/** parse_key_id: [short id (apt-key del), fingerprint (as --list-public-keys prints it), the whole id], or undefined when invalid. */
function parseKeyId(id: string): [string, string, string] | undefined {
  if (!/^\s*(0[xX])?[0-9a-fA-F]+(_[0-9a-fA-F]+)*\s*$/.test(id)) return undefined;
  let key = id.toUpperCase();
  if (key.startsWith('0X')) key = key.slice(2);
  if (key.length !== 8 && key.length !== 16 && key.length <= 16) return undefined;
  return [key.slice(-8), key.length > 16 ? key.slice(-16) : key, key];
}

const ring = (a: A) => (a.keyring !== undefined ? `--keyring ${shq(a.keyring)} ` : '');

async function run(ctx: ModuleCtx, cmd: string, opts: { stdin?: string; env?: Record<string, string> } = {}) {
  return ctx.exec({ shell: `${SBIN_PATH} ${cmd}` }, { signal: ctx.signal, ...opts });
}

async function allKeys(ctx: ModuleCtx, a: A, short: boolean): Promise<string[]> {
  const cmd = `apt-key ${ring(a)}adv --list-public-keys --keyid-format=long`;
  const r = await run(ctx, cmd);
  if (r.rc !== 0) throw new ModuleFailure('Unable to list public keys', { cmd, rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  return keysIn(r.stdout, short);
}

async function download(ctx: ModuleCtx, url: string, validate: boolean): Promise<string> {
  const r = await ctx.exec({ shell: downloadCmd(url, '-', { insecure: !validate }) }, { signal: ctx.signal });
  if (r.rc !== 0) throw new ModuleFailure(`Failed to download key at ${url}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return r.stdout;
}

/** What apply needs and the result does not show. */
export interface Found {
  r: Record<string, unknown>;
  short: boolean;
  ids: [string, string, string];
  data?: string;
}

/** ansible.builtin.apt_key (ansible-core 2.14): a key in apt's trusted keyring (or `keyring`) through apt-key. */
export default defineModule({
  name: 'apt_key',
  kind: 'state',
  description: "A key present in or absent from apt's keyring through apt-key (deprecated by apt; still what many roles use), from data, a file, a URL or a keyserver, compared by id as ansible.builtin.apt_key does.",
  args: Args,
  paths: ['file', 'keyring'],
  async check(ctx, a) {
    const given = (['data', 'file', 'keyserver', 'url'] as const).filter((k) => a[k] !== undefined);
    if (given.length > 1) throw new ModuleFailure('parameters are mutually exclusive: data|file|keyserver|url');
    await requireTools(ctx, [['apt-key'], ['gpg']]);
    let id = a.id;
    let data = a.data;
    if (!id) {
      if (a.keyserver) throw new ModuleFailure('Missing key_id, required with keyserver.');
      if (a.url) data = await download(ctx, a.url, a.validate_certs ?? true);
      if (a.file || data) {
        const g = await run(ctx, `gpg --with-colons ${a.file ? shq(a.file) : '-'}`, { env: C, ...(a.file ? {} : { stdin: data }) });
        if (g.rc !== 0) throw new ModuleFailure(`Unable to extract key from '${a.file ? a.file : 'inline data'}'`, { stdout: g.stdout, stderr: g.stderr });
        id = keysIn(g.stdout)[0];
      }
    }
    const r: Record<string, unknown> = { id: id ?? null };
    const ids = id ? parseKeyId(id) : undefined;
    if (!ids) throw new ModuleFailure('Invalid key_id', r);
    const [shortId, fp, keyId] = ids;
    Object.assign(r, { short_id: shortId, fp, key_id: keyId });
    const short = keyId.length === 8;
    const keys = await allKeys(ctx, a, short);
    r.before = keys;
    const present = keys.includes(short ? shortId : fp);
    const state = a.state ?? 'present';
    // absent compares the fingerprint, even for a short id (as ansible-core does)
    const changed = state === 'present' ? !present : keys.includes(fp);
    if (!changed) return { kind: 'ok', why: state === 'present' ? 'key present' : 'key absent', data: r };
    const keep: Found = { r, short, ids, data };
    return { kind: state === 'present' ? 'create' : 'remove', target: `${a.keyring ?? 'apt keyring'}: ${keyId}`, data: r, keep };
  },
  async apply(ctx, a, diff) {
    const f = diff.keep!;
    const { r, short, ids } = f;
    const [shortId, fp, keyId] = ids;
    const fail = (msg: string, res: { rc: number; stdout: string; stderr: string }, cmd: string, extra: Record<string, unknown> = {}) => new ModuleFailure(msg, { cmd, rc: res.rc, stdout: res.stdout, stderr: res.stderr, ...extra });
    if ((a.state ?? 'present') === 'present') {
      if (a.file) {
        const cmd = `apt-key ${ring(a)}add ${shq(a.file)}`;
        const res = await run(ctx, cmd);
        if (res.rc !== 0) throw fail(`Unable to add a key from file ${a.file}`, res, cmd, { keyfile: a.file });
      } else if (a.keyserver) {
        const cmd = `apt-key ${ring(a)}adv --no-tty --keyserver ${shq(a.keyserver)} --recv ${shq(keyId)}`;
        let res = await run(ctx, cmd, { env: C });
        for (let i = 1; i < 5 && res.rc !== 0; i++) res = await run(ctx, cmd, { env: C });
        if (res.rc !== 0) throw res.rc === 2 && res.stdout.includes('not found on keyserver') ? new ModuleFailure(`Key ${keyId} not found on keyserver ${a.keyserver}`, { cmd }) : fail(`Error fetching key ${keyId} from keyserver: ${a.keyserver}`, res, cmd);
      } else {
        const data = f.data ?? (a.url ? await download(ctx, a.url, a.validate_certs ?? true) : undefined);
        if (data === undefined) throw new ModuleFailure('No key to add ... how did i get here?!?!', r);
        const cmd = `apt-key ${ring(a)}add -`;
        const res = await run(ctx, cmd, { stdin: data });
        if (res.rc !== 0) throw fail('Unable to add a key from binary data', res, cmd);
      }
      r.after = await allKeys(ctx, a, short);
      if (!(r.after as string[]).includes(short ? shortId : fp)) throw new ModuleFailure('apt-key did not return an error, but failed to add the key (check that the id is correct and *not* a subkey)', r);
    } else {
      const cmd = `apt-key ${ring(a)}del ${shq(shortId)}`;
      const res = await run(ctx, cmd);
      if (res.rc !== 0) throw fail(`Unable to remove a key with id ${shortId}`, res, cmd, { key_id: shortId });
      r.after = await allKeys(ctx, a, short);
      if ((r.after as string[]).includes(fp)) throw new ModuleFailure('apt-key did not return an error, but the key was not removed (check that the id is correct and *not* a subkey)', r);
    }
    return { ...r };
  },
});
