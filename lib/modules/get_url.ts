import { Type } from '../source/vendor/typebox.js';
import { defineModule, ModuleFailure } from './types.js';
import { FileAttrs, selinuxGuard } from './util/content.js';
import { ANSIBLE_PY, runHostModule } from './util/ansible-py.js';
import { URLS_PY } from './util/urls-py.js';
import { GET_URL_PY } from './util/get-url-py.js';

const PROGRAM = ANSIBLE_PY + URLS_PY + GET_URL_PY;
const opt = <T extends Parameters<typeof Type.Optional>[0]>(t: T) => Type.Optional(t);

const Args = Type.Object(
  {
    url: Type.String({ description: 'http, https, ftp or file URL; credentials in it are used as url_username/url_password.' }),
    dest: Type.String({ description: "A file path (a folder gets the name the server gives, else the URL's file name)." }),
    checksum: opt(Type.String({ description: "algorithm:hex, or algorithm:URL of a checksums file (the line naming the URL's file): a file that has it is not fetched again, and a download is checked against it." })),
    force: opt(Type.Boolean({ description: 'Download every time, and replace the file when it differs (default false: a file there is fetched only if the server says it changed, If-Modified-Since).' })),
    backup: opt(Type.Boolean({ description: 'Keep a copy of the file it replaces (backup_file).' })),
    timeout: opt(Type.Integer({ description: 'Seconds (default 10).' })),
    headers: opt(Type.Record(Type.String(), Type.String(), { description: 'Request headers.' })),
    tmp_dest: opt(Type.String({ description: 'Where the download is kept until it is moved into place.' })),
    unredirected_headers: opt(Type.Array(Type.String(), { description: 'Headers not sent again after a redirect.' })),
    decompress: opt(Type.Boolean({ description: 'A gzip-encoded response is decoded (default true).' })),
    ciphers: opt(Type.Array(Type.String(), { description: 'TLS ciphers (OpenSSL names).' })),
    use_netrc: opt(Type.Boolean({ description: 'Credentials from ~/.netrc (or $NETRC) when none are given (default true).' })),
    http_agent: opt(Type.String({ description: "The User-Agent (default 'ansible-httpget')." })),
    use_proxy: opt(Type.Boolean({ description: "The host's proxy environment is used (default true)." })),
    validate_certs: opt(Type.Boolean({ description: "The server's certificate is checked (default true)." })),
    url_username: opt(Type.String()),
    url_password: opt(Type.String()),
    force_basic_auth: opt(Type.Boolean({ description: 'Send basic auth with the first request, not only when the server asks (default false).' })),
    client_cert: opt(Type.String({ description: 'A PEM certificate (and key) for TLS client authentication.' })),
    client_key: opt(Type.String()),
    use_gssapi: opt(Type.Boolean({ description: 'GSSAPI (Kerberos) authentication: not supported here.' })),
    ...FileAttrs,
  },
  { additionalProperties: false },
);

/**
 * ansible.builtin.get_url (ansible-core 2.14's module): the host downloads the URL itself, as the
 * module does — a Python 3 program of the standard library (`util/get-url-py.ts`) with the module's
 * rules: a file there with the checksum asked is left alone; without one it is fetched again with
 * If-Modified-Since (a 304 changes nothing) and replaced when its content differs; `force` fetches
 * always; check mode asks with HEAD. Its result is the module's (checksum_src/dest, md5sum,
 * status_code, msg, elapsed, backup_file, and the path facts of dest).
 */
export default defineModule({
  name: 'get_url',
  kind: 'action',
  description: "Downloads a URL on the host, as ansible-core's get_url: checksum (a value or a checksums file's URL), If-Modified-Since, force, headers, basic auth, .netrc, certificates, backup; owner, group and mode of the file.",
  args: Args,
  aliases: { username: 'url_username', password: 'url_password' },
  paths: ['dest', 'tmp_dest', 'client_cert', 'client_key'],
  async run(ctx, a) {
    await selinuxGuard(ctx, a);
    if (a.use_gssapi) throw new ModuleFailure('use_gssapi: agri-play does not do GSSAPI (Kerberos) authentication; give url_username/url_password or headers');
    const params = {
      url: a.url, dest: a.dest, checksum: a.checksum ?? '', force: a.force ?? false, backup: a.backup ?? false, timeout: a.timeout ?? 10, headers: a.headers ?? null,
      tmp_dest: a.tmp_dest ?? null, unredirected_headers: a.unredirected_headers ?? [], decompress: a.decompress ?? true, ciphers: a.ciphers ?? null, use_netrc: a.use_netrc ?? true,
      http_agent: a.http_agent ?? 'ansible-httpget', use_proxy: a.use_proxy ?? true, validate_certs: a.validate_certs ?? true, url_username: a.url_username ?? null, url_password: a.url_password ?? null,
      force_basic_auth: a.force_basic_auth ?? false, client_cert: a.client_cert ?? null, client_key: a.client_key ?? null, mode: a.mode ?? null, owner: a.owner ?? null, group: a.group ?? null,
    };
    return runHostModule(ctx, PROGRAM, 'get_url', params);
  },
});
