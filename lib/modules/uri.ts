import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { repr } from '../source/python.js';
import { withPathInfo } from './util/fs-node.js';
import { defineModule, ModuleFailure, type ModuleCtx, type ResultData } from './types.js';
import { pyJsonLoads } from '../source/pyjson-loads.js';
import { jsonText } from '../source/pyint.js';

const Args = Type.Object(
  {
    url: Type.String({ description: 'The URL (http or https), requested by the host itself.' }),
    method: Type.Optional(Type.String({ description: 'GET (default), POST, PUT, …' })),
    body: Type.Optional(Type.Unknown({ description: 'The request body (with body_format json, any data).' })),
    body_format: Type.Optional(Type.Union(['raw', 'json', 'form-urlencoded'].map((f) => Type.Literal(f)), { description: 'raw (default), json, form-urlencoded.' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Request headers.' })),
    status_code: Type.Optional(Type.Union([Type.Array(Type.Integer()), Type.Integer()], { description: 'Statuses that count as success (default 200).' })),
    return_content: Type.Optional(Type.Boolean({ description: 'The body in `content`.' })),
    timeout: Type.Optional(Type.Integer({ description: 'Seconds (default 30).' })),
    validate_certs: Type.Optional(Type.Boolean({ description: 'Check the TLS certificate (default true).' })),
    follow_redirects: Type.Optional(Type.Union(['all', 'no', 'none', 'safe', 'urllib2', 'yes'].map((f) => Type.Literal(f)), { description: 'safe (default): only for GET and HEAD.' })),
    url_username: Type.Optional(Type.String()),
    url_password: Type.Optional(Type.String()),
    force_basic_auth: Type.Optional(Type.Boolean()),
    dest: Type.Optional(Type.String({ description: 'Write the body to this file on the host.' })),
    creates: Type.Optional(Type.String({ description: 'Skip when this path exists on the host.' })),
    removes: Type.Optional(Type.String({ description: 'Run only when this path exists on the host.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const formEncode = (v: unknown): string => (typeof v === 'string' ? v : new URLSearchParams(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)])).toString());

/** The curl line for the request; it prints code, final URL, then the headers, then the body (base64). */
/** urllib's words for what curl could not do, by curl's exit code: a name that does not resolve, a port that refuses. */
const URLLIB_ERRORS: Record<number, string> = { 6: '<urlopen error [Errno -2] Name or service not known>', 7: '<urlopen error [Errno 111] Connection refused>' };

function curl(a: A, body: string | undefined, headers: Record<string, string>): string {
  const method = (a.method ?? 'GET').toUpperCase();
  const follow = a.follow_redirects ?? 'safe';
  const follows = follow === 'all' || follow === 'yes' || ((follow === 'safe' || follow === 'urllib2') && (method === 'GET' || method === 'HEAD'));
  const opts = [
    '-sS', method === 'HEAD' ? '-I' : `-X ${shq(method)}`, follows ? '-L --max-redirs 50' : '', a.validate_certs === false ? '-k' : '', `--max-time ${a.timeout ?? 30}`,
    ...Object.entries(headers).map(([k, v]) => `-H ${shq(`${k}: ${v}`)}`),
    a.url_username !== undefined ? `-u ${shq(`${a.url_username}:${a.url_password ?? ''}`)} ${a.force_basic_auth ? '--basic' : '--anyauth'}` : '',
    body !== undefined ? '--data-binary @-' : '',
  ].filter(Boolean);
  return `b=$(mktemp); h=$(mktemp); curl ${opts.join(' ')} -o "$b" -D "$h" -w '%{http_code}\\t%{url_effective}\\n' ${shq(a.url)}; rc=$?; echo '--agri--'; cat "$h"; echo '--agri--'; base64 -w0 < "$b"; rm -f "$b" "$h"; exit $rc`;
}

/** curl's header blocks, one an answer (a redirect's first). */
const answersOf = (raw: string): string[] => raw.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));

/** The last response's headers, as ansible-core's uri keys them (lower case, - as _). */
function headersOf(raw: string): { status: string; headers: Record<string, string> } {
  const blocks = answersOf(raw);
  const last = (blocks[blocks.length - 1] ?? '').trim().split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of last.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase().replace(/-/g, '_');
    const v = line.slice(i + 1).trim();
    headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
  }
  return { status: last[0] ?? '', headers };
}

/**
 * fetch_url's `cookies` and `cookies_string`: every Set-Cookie of the answers (a redirect's too), as
 * its CookieJar iterates them — by path, in the order each path first came, then by name in the
 * same way (a later cookie of a path and name takes the first one's place); a cookie without a path
 * has the request path's folder, as the jar defaults it.
 */
function cookiesOf(raw: string, url: string): { cookies: Record<string, string>; cookies_string: string } {
  const jar = new Map<string, Map<string, string>>();
  // (each answer's request: the URL, then each redirect's Location)
  let at = URL.canParse(url) ? new URL(url) : undefined;
  for (const block of answersOf(raw)) {
    const folder = ((p: string) => (p.lastIndexOf('/') > 0 ? p.slice(0, p.lastIndexOf('/')) : '/'))(at?.pathname ?? '/');
    for (const line of block.split(/\r?\n/)) {
      const m = /^set-cookie:\s*([^=;\s]+)=([^;]*)(.*)$/i.exec(line);
      if (!m) continue;
      const path = /;\s*path=([^;]*)/i.exec(m[3])?.[1]?.trim() || folder;
      if (!jar.has(path)) jar.set(path, new Map());
      jar.get(path)!.set(m[1], m[2].trim());
    }
    const next = /^location:\s*(.+)$/im.exec(block)?.[1].trim();
    if (next && at) at = new URL(next, at);
  }
  const order = [...jar.values()].flatMap((names) => [...names]);
  return { cookies: Object.fromEntries(order), cookies_string: order.map(([n, v]) => `${n}=${v}`).join('; ') };
}

async function request(ctx: ModuleCtx, a: A): Promise<ResultData> {
  const headers = { ...(a.headers ?? {}) };
  const has = (h: string) => Object.keys(headers).some((k) => k.toLowerCase() === h);
  let body: string | undefined;
  if (a.body !== undefined && a.body !== null) {
    if (a.body_format === 'json') {
      body = typeof a.body === 'string' ? a.body : jsonText(a.body);
      if (!has('content-type')) headers['Content-Type'] = 'application/json';
    } else if (a.body_format === 'form-urlencoded') {
      body = formEncode(a.body);
      if (!has('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else body = typeof a.body === 'string' ? a.body : jsonText(a.body);
  }
  // (urllib's Request refuses a URL with no scheme before anything is sent: _splittype finds none)
  if (!/^[^/:]+:/.test(a.url)) throw new ModuleFailure(`unknown url type: ${repr(a.url)}`, { status: -1, url: a.url, changed: false });
  const t0 = Date.now();
  const r = await ctx.exec({ shell: curl(a, body, headers) }, body !== undefined ? { stdin: body } : {});
  const [head, rawHeaders = '', b64 = ''] = r.stdout.split(/\n?--agri--\n?/);
  const [code, finalUrl] = head.trim().split('\t');
  const status = Number(code);
  const elapsed = Math.floor((Date.now() - t0) / 1000);
  if (!status) throw new ModuleFailure(`Status code was -1 and not ${JSON.stringify(wanted(a))}: Request failed: ${URLLIB_ERRORS[r.rc] ?? r.stderr.trim().replace(/^curl: \(\d+\) /, '')}`, { redirected: false, status: -1, url: a.url, elapsed, changed: false });
  const { status: line, headers: h } = headersOf(rawHeaders);
  const content = Buffer.from(b64.trim(), 'base64');
  const text = content.toString('utf8');
  const type = (h.content_type ?? '').split(';')[0].trim().toLowerCase();
  const sub = type.split('/')[1] ?? '';
  const maybeJson = ['json', 'javascript'].includes(sub.includes('+') ? sub.split('+')[1] : sub);
  const reason = line.replace(/^HTTP\/[\d.]+\s+\d+\s*/, '');
  const ok = wanted(a).includes(status);
  const out: ResultData = {
    ...h, redirected: finalUrl !== a.url, url: finalUrl, status, elapsed, changed: false,
    // (fetch_url's cookies where urllib answered: an HTTPError's info has none)
    ...(status >= 200 && status < 300 ? cookiesOf(rawHeaders, a.url) : {}),
    msg: status >= 200 && status < 300 ? `OK (${h.content_length ?? 'unknown'} bytes)` : `HTTP Error ${status}: ${reason}`,
  };
  // as ansible-core's absolute_location
  if (typeof out.location === 'string') out.location = new URL(out.location, finalUrl || a.url).toString();
  if (maybeJson) {
    try {
      out.json = pyJsonLoads(text);
    } catch {
      // not JSON after all: as ansible-core, no `json`
    }
  }
  if (a.return_content) out.content = text;
  // (an HTTP error's body stays in fetch_url's info, as `body`, where the module does not read it as content:
  // an accepted error status, neither JSON nor return_content)
  if (status >= 400 && ok && !maybeJson && !a.return_content) out.body = text;
  if (!ok) {
    out.msg = `Status code was ${status} and not ${JSON.stringify(wanted(a))}: ${String(out.msg)}`;
    throw new ModuleFailure(String(out.msg), out);
  }
  if (a.dest !== undefined && status !== 304) {
    await ctx.files.write(a.dest, content);
    Object.assign(out, { changed: true, path: a.dest });
  }
  return withPathInfo(ctx, out);
}

const wanted = (a: A): number[] => (a.status_code === undefined ? [200] : Array.isArray(a.status_code) ? a.status_code : [a.status_code]);

/** ansible.builtin.uri: an HTTP request made by the host (curl), with ansible-core's result keys. */
export default defineModule({
  name: 'uri',
  kind: 'state',
  description: "An HTTP(S) request made by the host itself (curl): status, url, redirected, headers as keys (content_type, …), json for JSON answers, content with return_content; a status not in status_code fails. Skipped in check mode, as ansible-core's.",
  args: Args,
  aliases: { user: 'url_username', password: 'url_password' },
  async check(ctx, a) {
    // (its AnsibleModule does not support check mode: skipped before it looks at creates/removes)
    if (ctx.checkMode) return { kind: 'run', data: { msg: 'remote module (ansible.legacy.uri) does not support check mode' } };
    // (the password, no_log in ansible-core, and an Authorization header are concealed by the engine before this runs)
    if (a.creates && (await ctx.files.stat(a.creates))) return { kind: 'ok', why: `${a.creates} exists`, data: { stdout: `skipped, since '${a.creates}' exists`, changed: false } };
    if (a.removes && !(await ctx.files.stat(a.removes))) return { kind: 'ok', why: `${a.removes} does not exist`, data: { stdout: `skipped, since '${a.removes}' does not exist`, changed: false } };
    return { kind: 'run' };
  },
  async apply(ctx, a) {
    return request(ctx, a);
  },
});

