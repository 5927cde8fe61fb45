// The names of a host's user and group ids, from its /etc/passwd and /etc/group as the run reads
// them (over SSH, SFTP reads the run puts in flight early, shared by every step of the host).
import type { ModuleCtx } from '../types.js';

/** Both reads' answer, by the cached reads it was made of (the file cache hands every step of a host the same promises). */
const pairs = new WeakMap<Promise<Buffer | null>, { gr: Promise<Buffer | null>; both: Promise<(Buffer | null)[]> }>();

/** The host's /etc/passwd and /etc/group (cached reads the run puts in flight early; null where not read). */
export function nameFiles(ctx: ModuleCtx): Promise<(Buffer | null)[]> {
  const pw = ctx.files.read('/etc/passwd');
  const gr = ctx.files.read('/etc/group');
  const hit = pairs.get(pw);
  if (hit?.gr === gr) return hit.both;
  const both = Promise.all([pw, gr]).catch(() => [null, null]);
  pairs.set(pw, { gr, both });
  return both;
}

/** /etc/passwd or /etc/group read once into id → name (the file cache hands the same bytes to every step). */
const byId = new WeakMap<Buffer, Map<string, string>>();
/** The name of an id in /etc/passwd or /etc/group text (name:x:id:…). */
export function nameIn(db: Buffer | null, id: number): string | undefined {
  if (!db) return undefined;
  let m = byId.get(db);
  if (!m) {
    m = new Map();
    for (const line of db.toString('utf8').split('\n')) {
      const f = line.split(':', 3);
      if (f.length === 3 && !m.has(f[2])) m.set(f[2], f[0]);
    }
    byId.set(db, m);
  }
  return m.get(String(id));
}
