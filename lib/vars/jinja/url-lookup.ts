// ansible-core's url lookup: each term's content fetched by the controller (GET, redirects followed,
// headers, basic auth, certificate checks), its lines (split_lines, the default) or its whole text.
// A template renders synchronously, so the request runs in a child node process, as `pipe` runs a shell.
import { spawnSync } from 'node:child_process';
import { str, truthy } from '../../source/python.js';
import { AnsibleLookupError } from './lookup-error.js';

/** The child: one request (following up to 10 redirects, as urllib's), its status, reason and body as JSON on fd 3, a pipe to this process (nothing is printed). */
const FETCH = `
const { request: http } = require('node:http');
const { request: https } = require('node:https');
const fs = require('node:fs');
const o = JSON.parse(fs.readFileSync(0, 'utf8'));
const answer = (v) => fs.writeSync(3, JSON.stringify(v));
function get(url, left) {
  const u = new URL(url);
  const headers = { 'user-agent': o.agent, ...o.headers };
  if (o.auth && o.force) headers.authorization = 'Basic ' + Buffer.from(o.auth).toString('base64');
  const req = (u.protocol === 'https:' ? https : http)(u, { headers, rejectUnauthorized: o.verify, timeout: o.timeout * 1000 }, (res) => {
    const parts = [];
    res.on('data', (c) => parts.push(c));
    res.on('end', () => {
      if (res.statusCode === 401 && o.auth && !o.force && !headers.authorization) { o.force = true; return get(url, left); }
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location && left > 0) return get(new URL(res.headers.location, u).href, left - 1);
      answer({ status: res.statusCode, reason: res.statusMessage, body: Buffer.concat(parts).toString('base64') });
    });
  });
  req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
  req.on('error', (e) => answer({ error: e.code ?? e.message, message: e.message }));
  req.end();
}
get(o.url, 10);
`;

/** Python's errno words for a failed connection, as urllib's URLError shows them. */
const ERRNO: Record<string, string> = { ECONNREFUSED: '[Errno 111] Connection refused', ENOTFOUND: '[Errno -2] Name or service not known', EAI_AGAIN: '[Errno -3] Temporary failure in name resolution', ETIMEDOUT: 'timed out', EHOSTUNREACH: '[Errno 113] No route to host' };

/** One term's content. */
function fetchOne(url: string, kw: Record<string, unknown>): string {
  const user = kw.username ?? kw.url_username;
  const pass = kw.password ?? kw.url_password;
  const input = JSON.stringify({
    url,
    headers: (kw.headers ?? {}) as Record<string, string>,
    auth: user !== undefined ? `${str(user)}:${pass === undefined ? '' : str(pass)}` : undefined,
    force: truthy(kw.force_basic_auth ?? false),
    verify: truthy(kw.validate_certs ?? true),
    timeout: Number(kw.timeout ?? 10),
    agent: str(kw.http_agent ?? 'ansible-httpget'),
  });
  const r = spawnSync(process.execPath, ['-e', FETCH], { input, stdio: ['pipe', 'ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: (Number(kw.timeout ?? 10) + 5) * 1000, maxBuffer: 64 << 20 });
  // (a child stopped at its time limit answers nothing: the request timed out)
  const out = JSON.parse(String(r.output?.[3] ?? '') || '{"error":"ETIMEDOUT","message":"timed out"}') as { status?: number; reason?: string; body?: string; error?: string; message?: string };
  if (out.error) {
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(out.error)) throw new AnsibleLookupError(`Error validating the server's certificate for ${url}: ${out.message}`);
    throw new AnsibleLookupError(`Failed lookup url for ${url} : <urlopen error ${ERRNO[out.error] ?? out.message}>`);
  }
  if (out.status! >= 400) throw new AnsibleLookupError(`Received HTTP error for ${url} : HTTP Error ${out.status}: ${out.reason}`);
  return Buffer.from(out.body!, 'base64').toString('utf8');
}

/** The lookup: each term's lines (Python's bytes.splitlines: \n, \r, \r\n), or with split_lines=False its text. */
export function urlLookup(terms: unknown[], kw: Record<string, unknown>): string[] {
  return terms.flatMap((t) => {
    const text = fetchOne(str(t), kw);
    return truthy(kw.split_lines ?? true) ? text.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l !== '') : [text];
  });
}
