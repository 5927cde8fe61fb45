import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../../source/index.js';

export type HostKeyVerdict = { ok: true; added?: boolean; changed?: boolean } | { ok: false; reason: 'unknown' | 'changed' | 'revoked'; message: string };

/** How a host is named in known_hosts: `host`, or `[host]:port` when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function keyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Each pattern's expression, made once (every host of a run reads every line of known_hosts). */
const patterns = new Map<string, RegExp>();
/** ssh's host patterns: `*` and `?` wildcards, everything else literal. */
export function globMatch(pattern: string, name: string): boolean {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$')));
  return re.test(name);
}

function hostMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/**
 * Checks a host key against known_hosts files; with acceptNew, records an unknown host's key in the
 * first file. With allowChanged (StrictHostKeyChecking=no), a changed key is let through, marked
 * `changed` and not recorded, as OpenSSH's check_host_key does (its caller then turns password
 * authentication off).
 */
export function verifyHostKey(files: string[], host: string, port: number, blob: Buffer, acceptNew: boolean, allowChanged = false): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const type = keyType(blob);
  const b64 = blob.toString('base64');
  let sameTypeOther: string | undefined;
  for (const file of files) {
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    for (const [i, raw] of lines.entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const parts = line.split(/\s+/);
      const marker = parts[0].startsWith('@') ? parts.shift() : undefined;
      if (parts.length < 3 || marker === '@cert-authority') continue;
      const [hosts, ktype, key] = parts;
      if (!hostMatches(hosts, name)) continue;
      if (marker === '@revoked') {
        if (key === b64) return { ok: false, reason: 'revoked', message: `host key of ${name} is marked revoked in ${file}:${i + 1}` };
        continue;
      }
      if (key === b64) return { ok: true };
      // any other key known for this host (of this type or another) means the host is known: a new key is a change
      sameTypeOther ??= `${file}:${i + 1}${ktype === type ? '' : ` (${ktype})`}`;
    }
  }
  if (sameTypeOther) {
    if (allowChanged) return { ok: true, changed: true };
    return { ok: false, reason: 'changed', message: `host key of ${name} has CHANGED (now ${type} ${fingerprint(blob)}; known_hosts has another at ${sameTypeOther}). Refusing: this may be a man-in-the-middle. If the host was rebuilt, remove the old key: ssh-keygen -R '${name}'` };
  }
  if (!acceptNew) {
    return { ok: false, reason: 'unknown', message: `host key of ${name} is unknown (${type} ${fingerprint(blob)}); add it to ${files[0]} (ssh-keyscan) or run with --ssh-accept-new` };
  }
  makeDirs(dirname(files[0]));
  appendFileSync(files[0], `${name} ${type} ${b64}\n`);
  return { ok: true, added: true };
}
