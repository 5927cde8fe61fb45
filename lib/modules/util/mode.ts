import { ModuleFailure, type FieldChange, type ModuleCtx } from '../types.js';
import type { FileStat } from '../../connections/index.js';
import { withPathInfo } from './fs-node.js';

/**
 * File modes as Ansible takes them: a string '0644' / '644', a number that YAML 1.1 read from
 * 0644 (420), or symbolic (`u=rw,g=r,o=r`, `a+X`, `u+s`), which says how to change the mode a
 * path has: resolved against `base` (the path's current mode, or what a new file or folder gets:
 * 0644 / 0755) when given, else kept as written for modeChange to resolve.
 */
export function normalizeMode(mode: unknown, base?: { mode: string; type: FileStat['type'] }): string | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (typeof mode === 'number') return (mode & 0o7777).toString(8).padStart(4, '0');
  const s = String(mode);
  if (/^[0-7]{1,5}$/.test(s)) {
    if (parseInt(s, 8) > 0o7777) throw new ModuleFailure('Invalid mode supplied, only permission info is allowed', { details: parseInt(s, 8) });
    return parseInt(s, 8).toString(8).padStart(4, '0');
  }
  const m = symbolicMode(s, base ? parseInt(base.mode, 8) : 0, base?.type === 'directory');
  return base ? m.toString(8).padStart(4, '0') : s;
}

const PERM_BITS = 0o7777;
/** The octal mode a symbolic one makes of `prev` (basic.py's _symbolic_mode_to_octal; the umask of a `+x` without who is 022). */
function symbolicMode(symbolic: string, prev: number, isDir: boolean, umask = 0o022): number {
  let mode = prev & PERM_BITS;
  for (const clause of symbolic.split(',')) {
    const perms = clause.split(/[+=-]/);
    const ops = clause.match(/[+=-]/g) ?? [];
    let users = perms.shift()!;
    const useUmask = users === '';
    if (users === 'a' || users === '') users = 'ugo';
    if (/[^ugo]/.test(users) || !ops.length) throw new ModuleFailure('mode must be in octal or symbolic form', { details: `bad symbolic permission for mode: ${clause}` });
    for (const [i, p] of perms.entries()) {
      if (/[^rwxXstugo]/.test(p)) throw new ModuleFailure('mode must be in octal or symbolic form', { details: `bad symbolic permission for mode: ${clause}` });
      for (const u of users) {
        const apply = [...p].reduce((acc, c) => acc | permBits(u, c, mode, isDir, useUmask, umask), 0);
        const mask = u === 'u' ? 0o4700 : u === 'g' ? 0o2070 : 0o1007;
        mode = ops[i] === '=' ? (mode & (mask ^ PERM_BITS)) | apply : ops[i] === '+' ? mode | apply : mode - (mode & apply);
      }
    }
  }
  return mode;
}

/** basic.py's _get_octal_mode_from_symbolic_perms: the bits one permission letter means for one of u, g, o. */
function permBits(u: string, c: string, prev: number, isDir: boolean, useUmask: boolean, umask: number): number {
  const shift = u === 'u' ? 6 : u === 'g' ? 3 : 0;
  const rev = umask ^ PERM_BITS;
  const rwx = (bit: number) => (useUmask ? rev & (bit << shift) : bit << shift);
  const copy = (from: number) => ((prev >> from) & 7) << shift;
  switch (c) {
    case 'r':
      return rwx(4);
    case 'w':
      return rwx(2);
    case 'x':
      return rwx(1);
    case 'X':
      return isDir || (prev & 0o111) > 0 ? 1 << shift : 0;
    case 's':
      return u === 'u' ? 0o4000 : u === 'g' ? 0o2000 : 0;
    case 't':
      return u === 'o' ? 0o1000 : 0;
    default:
      return copy(c === 'u' ? 6 : c === 'g' ? 3 : 0);
  }
}

export function modeChange(st: FileStat | null, mode: string | undefined): FieldChange[] {
  if (!mode || !st) return [];
  const want = normalizeMode(mode, st)!;
  return st.mode === want ? [] : [{ path: 'mode', from: st.mode, to: want }];
}

/** Owner/group changes, resolved by name on the host. */
export async function ownerChanges(ctx: ModuleCtx, path: string, owner?: string, group?: string): Promise<FieldChange[]> {
  if (!owner && !group) return [];
  const r = await ctx.exec(['stat', '-c', '%U %G', path]);
  if (r.rc !== 0) return [];
  const [u, g] = r.stdout.trim().split(' ');
  const out: FieldChange[] = [];
  if (owner && owner !== u) out.push({ path: 'owner', from: u, to: owner });
  if (group && group !== g) out.push({ path: 'group', from: g, to: group });
  return out;
}

/** Applies mode/owner/group fields of a diff. */
export async function applyAttrs(ctx: ModuleCtx, path: string, fields: FieldChange[] = []): Promise<void> {
  for (const f of fields) {
    let r;
    if (f.path === 'mode') {
      await ctx.files.chmod(path, String(f.to));
      continue;
    }
    if (f.path === 'owner') r = await ctx.exec(['chown', String(f.to), path]);
    else if (f.path === 'group') r = await ctx.exec(['chgrp', String(f.to), path]);
    else continue;
    if (r.rc !== 0) {
      // (AnsibleModule's set_owner_if_different / set_group_if_different: a name it cannot look up, else
      // the OS error as details; fail_json's path brings the file's facts)
      const verb = f.path === 'owner' ? 'chown' : 'chgrp';
      const unknown = /invalid (user|group)/.test(r.stderr);
      const msg = unknown ? `${verb} failed: failed to look up ${f.path === 'owner' ? 'user' : 'group'} ${String(f.to)}` : `${verb} failed`;
      throw new ModuleFailure(msg, await withPathInfo(ctx, { path, ...(unknown ? {} : { details: r.stderr.trim() }) }));
    }
  }
}
