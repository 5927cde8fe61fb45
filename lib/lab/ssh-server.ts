import { spawn, type ChildProcess } from 'node:child_process';
import { homedir, userInfo } from 'node:os';
import ssh2 from '../source/vendor/ssh2.js';
import { sshKeyPair } from './sshd.js';
import type { Sshd } from './sshd.js';
import { serveSftp } from './sftp-server.js';

const { Server, utils } = ssh2;

/**
 * An SSH server inside this process (ssh2's Server), for machines without OpenSSH: public-key
 * auth against the given keys, `exec` requests run by /bin/sh as the current user with `env`
 * added, and SFTP on the local file system. The lab uses it for the simulated Proxmox host when
 * no sshd is installed (tests use real sshd; one test runs the lab over this server).
 */
export async function startSshServer(authorizedKeys: string[], opts: { port?: number; env?: Record<string, string> } = {}): Promise<Sshd> {
  const host = sshKeyPair();
  const allowed = authorizedKeys.map((k) => utils.parseKey(k)).filter((k): k is ssh2.ParsedKey => !(k instanceof Error));
  // what sshd gives a session: a login's environment, not this process's (no operator secrets)
  const { username } = userInfo();
  const login = { HOME: homedir(), USER: username, LOGNAME: username, SHELL: '/bin/sh', PATH: '/usr/local/bin:/usr/bin:/bin' };
  const children = new Set<ChildProcess>();
  const clients = new Set<ssh2.Connection>();
  const server = new Server({ hostKeys: [host.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const key = allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      // no signature: the client asks whether this key would do; with one, it must verify
      if (!key || (ctx.signature && key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true)) return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () =>
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        // env requests (ssh SendEnv) apply to the session's commands
        const env: Record<string, string> = {};
        session.on('env', (accept, _reject, info) => {
          env[info.key] = info.val;
          accept?.();
        });
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const child = spawn('/bin/sh', ['-c', info.command], { cwd: homedir(), env: { ...login, ...opts.env, ...env } });
          children.add(child);
          stream.pipe(child.stdin);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          child.stdin.on('error', () => undefined);
          child.on('close', (code, signal) => {
            children.delete(child);
            if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
            else stream.exit(code ?? 255);
            stream.end();
          });
          stream.on('close', () => child.exitCode === null && child.kill('SIGHUP'));
        });
        session.on('sftp', (accept) => serveSftp(accept()));
      }),
    );
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  const [type, data] = host.public.split(/\s+/);
  return {
    port,
    pid: process.pid,
    knownHostsLine: `[127.0.0.1]:${port} ${type} ${data}`,
    stop: async () => {
      for (const c of children) c.kill('SIGTERM');
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
