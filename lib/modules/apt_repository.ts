import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { normalizeMode } from './util/mode.js';
import { addSource, dumpSources, loadSources, parseSource, removeSource, suggestFilename, type SourceFiles } from './util/apt-sources.js';

const Args = Type.Object(
  {
    repo: Type.String({ description: 'A one-line apt source: `deb [options] URI SUITE [COMPONENT…]`.' }),
    state: Type.Optional(Type.Union([Type.Literal('absent'), Type.Literal('present')])),
    mode: Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: 'Mode of a sources file the source is added to.' })),
    update_cache: Type.Optional(Type.Boolean({ description: 'apt-get update after a change (default true); if it fails, the sources go back as they were.' })),
    update_cache_retries: Type.Optional(Type.Integer()),
    update_cache_retry_max_delay: Type.Optional(Type.Integer()),
    filename: Type.Optional(Type.String({ description: 'The sources file (in sources.list.d, .list added) the source goes to; default: from its URI.' })),
    install_python_apt: Type.Optional(Type.Boolean({ description: 'Accepted and not needed: agri-play reads the sources without python3-apt.' })),
    validate_certs: Type.Optional(Type.Boolean()),
    codename: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** apt's own idea of where the sources are (apt_pkg's Dir::Etc::sourcelist and sourceparts; APT_CONFIG counts), then every file, base64. */
const READ = `command -v apt-config >/dev/null 2>&1 || { echo none; exit 0; }
eval "$(apt-config shell SL Dir::Etc::sourcelist/f SP Dir::Etc::sourceparts/d)"
SP=\${SP%/}
printf '%s\\n%s\\n' "$SL" "$SP"
for f in "$SL" "$SP"/*.list; do [ -f "$f" ] && printf '%s %s\\n' "$(base64 -w0 < "$f")" "$f"; done; true`;

interface Sources {
  parts: string;
  files: SourceFiles;
  raw: Map<string, string>;
}

async function readSources(ctx: ModuleCtx): Promise<Sources> {
  // a read: shared by the host's apt_repository steps (and it leaves the host's cached file reads) until something changes the host
  const r = await ctx.shared('apt-sources', (exec) => exec({ shell: READ }, { signal: ctx.signal }));
  if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim() || `reading the apt sources failed (exit ${r.rc})`);
  const [list, parts, ...rest] = r.stdout.split('\n');
  if (list === 'none') throw new ModuleFailure('Module apt_repository is not supported on target.');
  const files: SourceFiles = new Map();
  const raw = new Map<string, string>();
  for (const line of rest.filter(Boolean)) {
    const sp = line.indexOf(' ');
    const text = Buffer.from(line.slice(0, sp), 'base64').toString('utf8');
    const file = line.slice(sp + 1);
    raw.set(file, text);
    files.set(file, loadSources(text));
  }
  return { parts: parts || posix.dirname(list), files, raw };
}

/** ansible.builtin.apt_repository (ansible-core 2.14): a one-line apt source present (enabled) or absent. */
export default defineModule({
  name: 'apt_repository',
  kind: 'state',
  description: 'A one-line apt source (deb/deb-src) present or absent in sources.list(.d), as ansible.builtin.apt_repository edits them; apt-get update after a change (update_cache, default true), reverted if it fails.',
  args: Args,
  aliases: { 'update-cache': 'update_cache' },
  async check(ctx, a) {
    const state = a.state ?? 'present';
    if (!a.repo) throw new ModuleFailure("Please set argument 'repo' to a non-empty value");
    if (a.repo.startsWith('ppa:')) throw new ModuleFailure('ppa: repositories need the Launchpad API and a key server, which agri-play does not reach: write the deb line and add its key (get_url to /etc/apt/keyrings) instead');
    const src = await readSources(ctx);
    const before = dumpSources(src.files);
    const parsed = parseSource(a.repo);
    if (!parsed.valid || !parsed.enabled) throw new ModuleFailure(`Invalid repository string: ${parsed.enabled ? a.repo.trim().replace(/#.*$/, '') : a.repo.trim().slice(1)}`);
    let added: string | undefined;
    if (state === 'present') {
      const name = suggestFilename(parsed.source, a.filename);
      added = addSource(src.files, parsed.source, name.includes('/') ? name : posix.join(src.parts, name));
    } else removeSource(src.files, parsed.source);
    const after = dumpSources(src.files);
    const names = [...new Set([...before.keys(), ...after.keys()])];
    const changedFiles = names.filter((f) => before.get(f) !== after.get(f));
    const data = { repo: a.repo, state, diff: {} };
    if (!changedFiles.length) return { kind: 'ok', why: state === 'present' ? 'source present' : 'source absent', data };
    const file = changedFiles[0];
    // apply writes the files as the dump has them; `raw` puts them back if the cache update fails
    return { kind: before.has(file) ? (after.has(file) ? 'modify' : 'remove') : 'create', target: file, before: before.get(file) ?? '', after: after.get(file) ?? '', data, keep: { after, added, raw: src.raw } };
  },
  async apply(ctx, a, diff) {
    const plan = diff.keep!;
    await writeSources(ctx, plan.raw, plan.after);
    if (plan.added && a.mode !== undefined) await ctx.files.chmod(plan.added, normalizeMode(a.mode)!);
    if (a.update_cache ?? true) {
      const err = await updateCache(ctx, a.update_cache_retries ?? 5, a.update_cache_retry_max_delay ?? 12);
      if (err !== undefined) {
        await writeSources(ctx, plan.after, plan.raw);
        throw new ModuleFailure(`Failed to update apt cache: ${err || 'unknown reason'}`);
      }
    }
    return { ...diff.data };
  },
});

/** SourcesList.save: each file as the dump has it (the ones that differ), a file left without lines removed; `had` is what was there. */
async function writeSources(ctx: ModuleCtx, had: Map<string, string>, want: Map<string, string>): Promise<void> {
  for (const [file, text] of want) if (had.get(file) !== text) await ctx.files.write(file, Buffer.from(text), { mkdirs: true, mode: had.has(file) ? undefined : '0644' });
  const gone = [...had.keys(), ...[...want.keys()].filter((f) => !had.has(f))].filter((f) => !want.has(f));
  if (gone.length) {
    const r = await ctx.exec(['rm', '-f', '--', ...gone], { signal: ctx.signal });
    if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim());
  }
}

/** apt.Cache().update() with ansible-core's retries: 2^n s (+ up to 1 s) between tries, at most max_delay; the last error, or undefined. */
async function updateCache(ctx: ModuleCtx, retries: number, maxDelay: number): Promise<string | undefined> {
  const jitter = Math.floor(Math.random() * 1001) / 1000;
  let err = '';
  for (let i = 0; i < retries; i++) {
    const r = await ctx.exec(['apt-get', 'update', '-q'], { signal: ctx.signal });
    if (r.rc === 0) return undefined;
    err = r.stderr.trim() || r.stdout.trim();
    const delay = Math.min(2 ** i, maxDelay) + jitter;
    // the task's timeout or an interrupt ends the wait too
    if (i < retries - 1) await sleep(delay * 1000, undefined, { signal: ctx.signal });
  }
  return err;
}
