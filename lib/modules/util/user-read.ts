// What the user module reads of a host in one round trip: the user's passwd and shadow entries, the
// group database (ansible-core's grp.getgrall(), for membership and the groups asked; else only the
// group of the user's name, which useradd's -N is for), and whether the home folder (the one asked,
// else the user's) and its parent are there.
import { shq } from '../../connections/quote.js';
import type { ModuleCtx } from '../types.js';
import { commandFailure } from './run.js';

export interface HostUser {
  user?: { uid: number; gid: number; comment: string; home: string; shell: string };
  /** The shadow entry (root reads it): the hash, and expiry/min/max in days (-1: none). */
  shadow?: { hash: string; expire: number; min: number; max: number };
  groups: { name: string; gid: number; members: string[] }[];
  homeExists: boolean;
  /** The user has a line in /etc/passwd itself (`local`'s test). */
  inPasswdFile: boolean;
  homeParentExists: boolean;
}

/** A shadow date or count field: empty is none (-1), as ansible-core's spwd reads it. */
const days = (f: string | undefined): number => (f === undefined || f === '' ? -1 : Number(f));

export async function readUser(ctx: ModuleCtx, name: string, home: string | undefined, allGroups: boolean): Promise<HostUser> {
  const u = shq(name);
  const script = [
    `pw=$(getent passwd ${u}); echo "$pw"; echo ---`,
    `getent shadow ${u} 2>/dev/null; echo ---`,
    `getent group${allGroups ? '' : ` ${u}`}; echo ---`,
    `h=${home === undefined ? '$(echo "$pw" | cut -d: -f6)' : shq(home)}`,
    'if [ -n "$h" ] && [ -e "$h" ]; then echo home; fi; if [ -n "$h" ] && [ -d "$(dirname "$h")" ]; then echo parent; fi',
    `if awk -F: -v n=${u} '$1 == n { f = 1 } END { exit !f }' /etc/passwd 2>/dev/null; then echo file; fi`,
  ].join('\n');
  const r = await ctx.exec({ shell: script }, { signal: ctx.signal });
  if (r.rc !== 0) throw commandFailure(['getent', 'passwd', name], r);
  const [pwPart, shadowPart, groupPart, homePart] = r.stdout.split(/^---$/m).map((s) => s.trim());
  const pw = pwPart ? pwPart.split('\n')[0].split(':') : undefined;
  const sp = shadowPart ? shadowPart.split('\n')[0].split(':') : undefined;
  const groups = groupPart
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .map((g) => ({ name: g[0], gid: Number(g[2]), members: (g[3] ?? '').split(',').filter(Boolean) }));
  return {
    user: pw && pw.length >= 7 ? { uid: Number(pw[2]), gid: Number(pw[3]), comment: pw[4], home: pw[5], shell: pw[6] } : undefined,
    shadow: sp && sp.length >= 8 ? { hash: sp[1], min: days(sp[3]), max: days(sp[4]), expire: days(sp[7]) } : undefined,
    groups,
    homeExists: /^home$/m.test(homePart ?? ''),
    homeParentExists: /^parent$/m.test(homePart ?? ''),
    inPasswdFile: /^file$/m.test(homePart ?? ''),
  };
}
