// The names of a host's user and group ids, from its /etc/passwd and /etc/group as the run reads
// them (over SSH, SFTP reads the run puts in flight early, shared by every step of the host).
import type { ModuleCtx } from '../types.js';

/** A host's /etc/passwd or /etc/group read into id → name (the first line of an id wins). */
export type Names = ReadonlyMap<number, string>;

/**
 * Each text parsed once: the hosts of a fleet mostly have the same files, so they share one map,
 * warm in memory, where a map per host was cold memory at each of its steps (10,000 hosts in
 * lockstep). Bounded: a run that meets many texts (files that change) starts over.
 */
const byText = new Map<string, Names>();

function parsed(db: Buffer | null): Names | null {
  if (!db) return null;
  const text = db.toString('utf8');
  let m = byText.get(text);
  if (m) return m;
  const ids = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':', 3);
    // (an id as the file writes it: "01" is no id's text)
    const n = f.length === 3 ? Number(f[2]) : NaN;
    if (Number.isSafeInteger(n) && String(n) === f[2] && !ids.has(n)) ids.set(n, f[0]);
  }
  if (byText.size >= 256) byText.clear();
  byText.set(text, (m = ids));
  return m;
}

/** Both files' names, by the cached reads they were made of (the file cache hands every step of a host the same promises). */
const pairs = new WeakMap<Promise<Buffer | null>, { gr: Promise<Buffer | null>; both: Promise<(Names | null)[]> }>();

/** The host's /etc/passwd and /etc/group names (from cached reads the run puts in flight early; null where not read). */
export function nameFiles(ctx: ModuleCtx): Promise<(Names | null)[]> {
  const pw = ctx.files.read('/etc/passwd');
  const gr = ctx.files.read('/etc/group');
  const hit = pairs.get(pw);
  if (hit?.gr === gr) return hit.both;
  const both = Promise.all([pw, gr]).then(([p, g]) => [parsed(p), parsed(g)], () => [null, null]);
  pairs.set(pw, { gr, both });
  return both;
}

/** The name of an id in a host's names (undefined where the file has none, or was not read). */
export function nameIn(names: Names | null, id: number): string | undefined {
  return names?.get(id);
}
