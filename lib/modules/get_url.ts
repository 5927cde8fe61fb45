import { posix } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { FileAttrs, NEW_FILE } from './util/content.js';
import { applyAttrs, modeChange, normalizeMode, ownerChanges } from './util/mode.js';
import { downloadCmd } from './util/host-tools.js';
import { defineModule, ModuleFailure, type FieldChange, type ModuleCtx } from './types.js';
import { runOk } from './util/run.js';

const Args = Type.Object(
  {
    url: Type.String({ pattern: '^(https?|ftp|file)://' }),
    dest: Type.String({ pattern: '^/', description: 'A file path (a folder gets the URL\'s file name).' }),
    checksum: Type.Optional(Type.String({ pattern: '^(sha1|sha256|sha512|md5):[0-9a-fA-F]+$', description: 'algorithm:hex; checked after download, and a file that has it is not fetched again.' })),
    force: Type.Optional(Type.Boolean({ description: 'Download even when dest exists (default false, unless a checksum differs).' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds (default 10).' })),
    ...FileAttrs,
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

async function target(ctx: ModuleCtx, a: A): Promise<string> {
  const st = await ctx.files.stat(a.dest);
  return st?.type === 'directory' ? posix.join(a.dest, posix.basename(new URL(a.url).pathname) || 'index.html') : a.dest;
}

/** `algo:hex` as its parts (hex in lower case), when a checksum is given. */
const checksumOf = (a: A) => (a.checksum ? { algo: a.checksum.split(':')[0], hex: a.checksum.split(':')[1].toLowerCase() } : undefined);

async function sumOf(ctx: ModuleCtx, algo: string, path: string): Promise<string> {
  return (await runOk(ctx, [`${algo}sum`, '--', path])).split(/\s/)[0].toLowerCase();
}

/** Download to a temp file, verify, move into place: one remote script, so one round trip. */
function fetchScript(a: A, tmp: string, dest: string): string {
  const t = a.timeout ?? 10;
  const sum = checksumOf(a);
  return [
    `tmp=${shq(tmp)}`,
    `${downloadCmd(a.url, '"$tmp"', { timeout: t })} || { rc=$?; rm -f "$tmp"; exit $rc; }`,
    ...(sum ? [`got=$(${sum.algo}sum -- "$tmp" | cut -d' ' -f1)`, `[ "$got" = ${shq(sum.hex)} ] || { rm -f "$tmp"; echo "checksum-mismatch $got"; exit 1; }`] : []),
    `mv -f "$tmp" ${shq(dest)}`,
  ].join('\n');
}

export default defineModule({
  name: 'get_url',
  kind: 'state',
  description: 'Downloads a URL on the host itself (curl or wget) into a temp file, checks the checksum, then moves it into place; not fetched again when dest is there (with the checksum, if given).',
  args: Args,
  paths: ['dest'],
  async check(ctx, a) {
    const dest = await target(ctx, a);
    const st = await ctx.files.stat(dest);
    const data = { url: a.url, dest };
    if (!st) return { kind: 'create', target: dest, fields: [{ path: 'url', to: a.url }], data };
    const fields: FieldChange[] = [];
    const sum = checksumOf(a);
    if (sum) {
      const have = await sumOf(ctx, sum.algo, dest);
      if (have !== sum.hex) fields.push({ path: sum.algo, from: have, to: sum.hex });
    } else if (a.force) fields.push({ path: 'content', to: `(fetched again from ${a.url})` });
    fields.push(...modeChange(st, normalizeMode(a.mode)), ...(await ownerChanges(ctx, dest, a.owner, a.group)));
    return fields.length ? { kind: 'modify', target: dest, fields, data } : { kind: 'ok', why: `${dest} is there${sum ? ` with ${sum.algo} ${sum.hex.slice(0, 12)}…` : ''}`, data };
  },
  async apply(ctx, a, diff) {
    const dest = (diff.data as { dest: string }).dest;
    const fetch = diff.fields?.some((f) => f.path !== 'mode' && f.path !== 'owner' && f.path !== 'group') || diff.kind === 'create';
    if (fetch) {
      const r = await ctx.exec({ shell: fetchScript(a, `${dest}.agri-get-${Date.now().toString(36)}`, dest) }, { signal: ctx.signal });
      const mismatch = /^checksum-mismatch (\S*)/m.exec(r.stdout);
      // the download happened, so a wrong checksum is a changed failure (as Ansible reports it)
      if (mismatch) throw new ModuleFailure(`The checksum for ${dest} did not match ${checksumOf(a)!.hex}; it was ${mismatch[1]}.`, { url: a.url, dest, changed: true });
      if (r.rc !== 0) throw new ModuleFailure(`Request failed: ${a.url}: ${r.stderr.trim() || `exit ${r.rc}`}`, { url: a.url, dest, rc: r.rc });
    }
    // a fresh download has the temp file's attributes: set all that were asked; else only what differed
    const mode = normalizeMode(a.mode, (await ctx.files.stat(dest)) ?? NEW_FILE);
    const asked: FieldChange[] = [...(mode ? [{ path: 'mode', to: mode }] : []), ...(a.owner ? [{ path: 'owner', to: a.owner }] : []), ...(a.group ? [{ path: 'group', to: a.group }] : [])];
    await applyAttrs(ctx, dest, fetch ? asked : diff.fields);
    return { url: a.url, dest };
  },
});
