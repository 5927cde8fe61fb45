import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { applyContent, checkContent, NEW_FILE } from './util/content.js';
import { normalizeMode } from './util/mode.js';
import { downloadCmd } from './util/host-tools.js';
import { asList, optBool, optList } from './util/arg-types.js';

const bool = optBool;
const list = optList;

/** The fields of a .sources file (written in the order the task gives them). */
const Fields = {
  allow_downgrade_to_insecure: bool(),
  allow_insecure: bool(),
  allow_weak: bool(),
  architectures: list(),
  by_hash: bool(),
  check_date: bool(),
  check_valid_until: bool(),
  components: list(),
  date_max_future: Type.Optional(Type.Integer()),
  enabled: bool(),
  inrelease_path: Type.Optional(Type.String()),
  languages: list(),
  name: Type.String({ description: 'The repository name (X-Repolib-Name); its slug names the .sources file and the key file.' }),
  pdiffs: bool(),
  signed_by: Type.Optional(Type.String({ description: 'A key file on the host, a URL the host downloads it from (kept in /etc/apt/keyrings), or the key itself.' })),
  suites: list(),
  targets: list(),
  trusted: bool(),
  types: list('deb, deb-src (default [deb]).'),
  uris: list(),
};
const Args = Type.Object(
  {
    ...Fields,
    mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: "The .sources file's mode (default 0644)." })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
  },
  { additionalProperties: false },
);

const KEYRINGS = '/etc/apt/keyrings';
/** A downloaded key file's mode (ansible-core's S_IRWU_RG_RO). */
const KEY_MODE = '0644';
const slugOf = (name: string) => name.toLowerCase().replace(/[_\s]+/g, '-').replace(/[^a-z0-9-]+/g, '');
const sourcesFile = (slug: string) => `/etc/apt/sources.list.d/${slug}.sources`;
/** format_field_name: name → X-Repolib-Name, uris → URIs, else Title-Case with dashes. */
const fieldName = (k: string) => (k === 'name' ? 'X-Repolib-Name' : k === 'uris' ? 'URIs' : k.replace(/_/g, '-').replace(/[a-z]+/g, (w) => w[0].toUpperCase() + w.slice(1)));
/** format_multiline: on lines of their own, indented, an empty line as `.`. */
const multiline = (v: string) => '\n' + v.trim().split(/\r\n|\r|\n/).map((l) => `    ${l.trim() || '.'}`).join('\n');
const LISTS = new Set(['architectures', 'components', 'languages', 'suites', 'targets', 'types', 'uris']);

/** Deb822.dump of the fields: `Key: value`, or `Key:` and the lines of a multi-line value. */
function dump(fields: [string, string][]): string {
  return fields.map(([k, v]) => (v === '' || v.startsWith('\n') ? `${k}:${v}\n` : `${k}: ${v}\n`)).join('');
}

/** What apply needs: the files to remove, or the key to write and the file's mode. */
type Keep = { remove: string[] } | { key?: SignedBy['key']; mode?: string; unchanged: boolean };

interface SignedBy {
  value: string;
  /** write_signed_by_key's filename: the file given, the downloaded key's, or none for a key given inline. */
  file: string | null;
  key?: { file: string; data: Buffer; write: boolean; mkdir: boolean; chmod: boolean };
}

/** write_signed_by_key: a file on the host stays a path; a URL is downloaded by the host into /etc/apt/keyrings/SLUG.asc|gpg; anything else is the key itself. */
async function signedBy(ctx: ModuleCtx, v: string, slug: string): Promise<SignedBy> {
  // (a key given inline is no path: os.path.isfile is False for it, never an error)
  if (!v.includes('\n') && v.length < 4096 && (await ctx.files.stat(v))?.type === 'file') return { value: v, file: v };
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) return { value: v, file: null };
  // to a temp file first: the download's exit status is the script's (a pipe would give base64's)
  const r = await ctx.exec({ shell: `t=$(mktemp) || exit 1; ${downloadCmd(v, '"$t"', { agent: 'ansible-httpget' })} && base64 -w0 < "$t"; rc=$?; rm -f "$t"; exit $rc` }, { signal: ctx.signal });
  if (r.rc !== 0) throw new ModuleFailure(`Could not fetch signed_by key: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const data = Buffer.from(r.stdout.trim(), 'base64');
  if (!data.length) return { value: v, file: v };
  const file = `${KEYRINGS}/${slug}.${data.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----') ? 'asc' : 'gpg'}`;
  const have = await ctx.files.read(file);
  const mkdir = (await ctx.files.stat(KEYRINGS))?.type !== 'directory';
  const write = !have?.equals(data);
  // set_mode_if_different(filename, 0o644): a key file with the same content and another mode gets its mode back
  const chmod = !write && (await ctx.files.stat(file))?.mode !== KEY_MODE;
  return { value: file, file, key: { file, data, write, mkdir, chmod } };
}

/** ansible.builtin.deb822_repository (ansible-core 2.15): a repository as a deb822 .sources file in /etc/apt/sources.list.d, its key beside it. */
export default defineModule({
  name: 'deb822_repository',
  kind: 'state',
  description: "An apt repository as a deb822 `.sources` file (/etc/apt/sources.list.d/SLUG.sources), its signed_by key downloaded into /etc/apt/keyrings when a URL, as ansible-core 2.15's deb822_repository writes them; no cache update (an apt task's update_cache does that).",
  args: Args,
  async check(ctx, a) {
    const bad = asList(a.types ?? []).filter((t) => t !== 'deb' && t !== 'deb-src');
    if (bad.length) throw new ModuleFailure(`value of types must be one or more of: deb, deb-src. Got no match for: ${bad.join(', ')}`);
    const slug = slugOf(a.name);
    const dest = sourcesFile(slug);
    if ((a.state ?? 'present') === 'absent') {
      const gone = [dest, `${KEYRINGS}/${slug}.asc`, `${KEYRINGS}/${slug}.gpg`];
      const there: string[] = [];
      for (const f of gone) if (await ctx.files.stat(f)) there.push(f);
      const data = { repo: null, dest, key_filename: gone[2] };
      if (!there.length) return { kind: 'ok', why: `${dest} is absent`, data };
      return { kind: 'remove', target: dest, data, keep: { remove: there } as Keep };
    }
    const fields: [string, string][] = [];
    let key: SignedBy['key'];
    let keyFile: string | null = null;
    // AnsibleModule's params: the task's arguments in the order they were written, then the defaults (types)
    const keys = [...(Object.keys(a).filter((k) => k in Fields) as (keyof typeof Fields)[]), ...(a.types === undefined ? (['types'] as const) : [])];
    for (const k of keys) {
      let v: unknown = k === 'types' ? (a.types ?? ['deb']) : a[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'boolean') v = v ? 'yes' : 'no';
      else if (typeof v === 'number') v = String(v);
      else if (LISTS.has(k)) v = asList(v as string | string[]).join(' ');
      else if (k === 'signed_by') {
        const s = await signedBy(ctx, String(v), slug);
        v = s.value;
        key = s.key;
        keyFile = s.file;
      }
      const text = String(v);
      fields.push([fieldName(k), text.includes('\n') ? multiline(text) : text]);
    }
    const repo = dump(fields);
    const mode = normalizeMode(a.mode ?? '0644', NEW_FILE);
    const d = await checkContent(ctx, dest, Buffer.from(repo), { mode }, { result: false });
    const data = { repo, dest, key_filename: keyFile };
    const keyChanged = !!key && (key.write || key.mkdir || key.chmod);
    if (d.kind === 'ok' && !keyChanged) return { kind: 'ok', why: `${dest} as wanted`, data };
    const base = d.kind === 'ok' ? { kind: 'modify' as const, target: dest, fields: [] } : d;
    const keep: Keep = { key, mode, unchanged: d.kind === 'ok' };
    return { ...base, data, content: Buffer.from(repo), keep };
  },
  async apply(ctx, a, diff) {
    const keep = diff.keep!;
    if ('remove' in keep) {
      const r = await ctx.exec(['rm', '-f', '--', ...keep.remove], { signal: ctx.signal });
      if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim());
      return { ...diff.data };
    }
    if (keep.key?.mkdir) await ctx.files.mkdir(KEYRINGS, '0755');
    if (keep.key?.write) await ctx.files.write(keep.key.file, keep.key.data, { mode: KEY_MODE });
    else if (keep.key?.chmod) await ctx.files.chmod(keep.key.file, KEY_MODE);
    if (!keep.unchanged) await applyContent(ctx, sourcesFile(slugOf(a.name)), diff.content!, { mode: keep.mode }, diff);
    return { ...diff.data };
  },
});
