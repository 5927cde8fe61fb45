import { ModuleFailure, type FieldChange, type ModuleCtx } from '../types.js';
import type { FileStat } from '../../connections/index.js';

/**
 * File modes as Ansible takes them: a string '0644' / '644', or a number that YAML 1.1 read
 * from 0644 (420). Symbolic modes (u+x) are not supported yet and are refused clearly.
 */
export function normalizeMode(mode: unknown): string | undefined {
  if (mode === undefined || mode === null) return undefined;
  if (typeof mode === 'number') return (mode & 0o7777).toString(8).padStart(4, '0');
  const s = String(mode);
  if (/^[0-7]{3,5}$/.test(s) && parseInt(s, 8) <= 0o7777) return parseInt(s, 8).toString(8).padStart(4, '0');
  throw new ModuleFailure(`mode '${s}' is not an octal mode like '0644' (symbolic modes are not supported)`);
}

export function modeChange(st: FileStat | null, mode: string | undefined): FieldChange[] {
  if (!mode || !st) return [];
  return st.mode === mode ? [] : [{ path: 'mode', from: st.mode, to: mode }];
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
    if (r.rc !== 0) throw new ModuleFailure(`cannot set ${f.path} of ${path}: ${r.stderr.trim()}`);
  }
}
