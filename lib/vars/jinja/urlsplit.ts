// Python's urllib.parse.urlsplit (3.11), which ansible-core's `urlsplit` filter and `uri`/`url`/`urn`
// tests read. Not WHATWG's URL: Python keeps a default port (`:80`), the path as written (no
// percent-encoding, no `..` folding), the host's case in `netloc`, and takes any `letters:` prefix
// for a scheme (`admin:secret@example.com` has the scheme `admin`). No npm library parses as
// Python does, so this follows its source, step by step.
import type Ipaddr from 'ipaddr.js';
import { lazyModule } from '../../source/lazy-module.js';
import { PyError, contains, str, truthy } from '../../source/python.js';

const ipaddr = lazyModule<typeof Ipaddr>('ipaddr.js', import.meta.url);

export interface SplitResult {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;
// (url.lstrip(_WHATWG_C0_CONTROL_OR_SPACE); then tabs and newlines anywhere are removed)
const C0_OR_SPACE = /^[\x00-\x20]+/;

export function urlsplitPy(url: string): SplitResult {
  url = url.replace(C0_OR_SPACE, '').replace(/[\t\r\n]/g, '');
  let [scheme, netloc, query, fragment] = ['', '', '', ''];
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) [scheme, url] = [url.slice(0, i).toLowerCase(), url.slice(i + 1)];
  if (url.startsWith('//')) {
    const ends = ['/', '?', '#'].map((c) => url.indexOf(c, 2)).filter((n) => n >= 0);
    const delim = ends.length ? Math.min(...ends) : url.length;
    [netloc, url] = [url.slice(2, delim), url.slice(delim)];
    const [open, close] = [netloc.includes('['), netloc.includes(']')];
    if (open !== close) throw new PyError('ValueError', 'Invalid IPv6 URL');
    if (open) checkBracketed(netloc.slice(netloc.indexOf('[') + 1).split(']')[0]);
  }
  if (url.includes('#')) [url, fragment] = cut(url, '#');
  if (url.includes('?')) [url, query] = cut(url, '?');
  return { scheme, netloc, path: url, query, fragment };
}

function cut(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + 1)];
}

/** _check_bracketed_host: an IPv6 address or an IPvFuture one (`v1.x`) between brackets. */
function checkBracketed(host: string): void {
  if (host.startsWith('v')) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(host)) throw new PyError('ValueError', 'IPvFuture address is invalid');
    return;
  }
  const bare = host.split('%')[0];
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) throw new PyError('ValueError', 'An IPv4 address cannot be in brackets');
  if (!ipaddr.IPv6.isValid(bare)) throw new PyError('ValueError', `'${host}' does not appear to be an IPv4 or IPv6 address`);
}

/** SplitResult's attributes as ansible-core's object_to_dict gives them: sorted by name, as dir() lists them. */
export function splitParts(r: SplitResult): Record<string, unknown> {
  const userinfo = r.netloc.includes('@') ? r.netloc.slice(0, r.netloc.lastIndexOf('@')) : undefined;
  const hostinfo = r.netloc.slice(r.netloc.lastIndexOf('@') + 1);
  let host: string;
  let port: string;
  if (hostinfo.includes('[')) {
    const bracketed = hostinfo.slice(hostinfo.indexOf('[') + 1);
    host = bracketed.split(']')[0];
    const rest = bracketed.includes(']') ? bracketed.slice(bracketed.indexOf(']') + 1) : '';
    port = rest.includes(':') ? rest.slice(rest.indexOf(':') + 1) : '';
  } else {
    const c = hostinfo.indexOf(':');
    [host, port] = c < 0 ? [hostinfo, ''] : [hostinfo.slice(0, c), hostinfo.slice(c + 1)];
  }
  const colon = userinfo?.indexOf(':') ?? -1;
  const zone = host.indexOf('%');
  return {
    fragment: r.fragment,
    // (a scoped IPv6 address's zone keeps its case)
    hostname: host ? (zone < 0 ? host.toLowerCase() : host.slice(0, zone).toLowerCase() + host.slice(zone)) : null,
    netloc: r.netloc,
    password: userinfo === undefined || colon < 0 ? null : userinfo.slice(colon + 1),
    path: r.path,
    port: port ? portOf(port) : null,
    query: r.query,
    scheme: r.scheme,
    username: userinfo === undefined ? null : colon < 0 ? userinfo : userinfo.slice(0, colon),
  };
}

function portOf(p: string): number {
  if (!/^[0-9]+$/.test(p)) throw new PyError('ValueError', `Port could not be cast to integer value as '${p}'`);
  const n = Number(p);
  if (n > 65535) throw new PyError('ValueError', 'Port out of range 0-65535');
  return n;
}

/** ansible-core's `urlsplit` filter: every part, or the one named. */
export function urlsplit(v: unknown, query: unknown = ''): unknown {
  // (a false value — None, False, 0 — is urllib's empty text: _coerce_args decodes it to '')
  const parts = splitParts(urlsplitPy(typeof v === 'string' ? v : ''));
  if (query === '' || query === null || query === undefined) return parts;
  if (!(String(query) in parts)) throw new PyError('AnsibleFilterError', `urlsplit: unknown URL component: ${str(query)}`);
  return parts[String(query)];
}

/** ansible-core's is_uri: the parts urlparse gives (its scheme among `schemes` where given), or undefined where it is no uri. */
function uriOf(v: unknown, schemes?: unknown): SplitResult | undefined {
  // (None reads as '', as urlparse decodes a false value; another non-text value is an error, False)
  if (v !== null && v !== undefined && typeof v !== 'string') return undefined;
  try {
    const x = urlsplitPy(v ?? '');
    return !truthy(schemes ?? null) || contains(schemes, x.scheme) ? x : undefined;
  } catch {
    return undefined;
  }
}

/** ansible-core's `uri` test: anything urlparse takes. */
export const isUri = (v: unknown, schemes?: unknown): boolean => uriOf(v, schemes) !== undefined;

/** ansible-core's `url` test: a uri with a network location, or a file: one. */
export function isUrl(v: unknown, schemes?: unknown): boolean {
  const x = uriOf(v, schemes);
  return x !== undefined && (Boolean(x.netloc) || x.scheme === 'file');
}

export const isUrn = (v: unknown): boolean => isUri(v, ['urn']);
