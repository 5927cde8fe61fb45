import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { makeDirs } from '../../source/mkdirs.js';
import { runSim } from './run.js';

const PERL = ['/usr/bin/perl', '/bin/perl'].find((p) => existsSync(p));
// a UNIX socket path has room for 107 bytes
const MAX_SOCKET_PATH = 100;

/**
 * The simulated `qm`/`pvesh`/`pvesm` as small Perl clients (perl-base is in every Debian) of the
 * process that started the node: each command is still a process run over SSH, as on PVE, but the
 * simulator is not loaded again for each (a Node process per command cost ≈ 125 ms of CPU here,
 * which the farm's other parts on the same cores waited for). Undefined where Perl is missing or
 * the folder's path is too long for a socket: the commands are then Node programs (lib/cli/pve-sim).
 */
export async function servePveSim(dir: string): Promise<{ script(prog: string): string; close(): Promise<void> } | undefined> {
  const path = join(dir, 'sim.sock');
  if (!PERL || Buffer.byteLength(path) > MAX_SOCKET_PATH) return undefined;
  makeDirs(dir);
  rmSync(path, { force: true });
  const server: Server = createServer((sock) => {
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => sock.destroy());
    // the request is the program and its arguments, NUL-separated; the client half-closes after it
    sock.on('end', () => {
      const [prog, ...argv] = Buffer.concat(chunks).toString('utf8').split('\0');
      sock.end(answer(dir, prog, argv));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, () => resolve()));
  // a Perl single-quoted string
  const perlq = (v: string) => `'${v.replace(/[\\']/g, '\\$&')}'`;
  server.unref();
  return {
    script: (prog) => `#!${PERL}
# agri-play lab: simulated Proxmox VE '${prog}' (asks the simulator in the lab process)
use strict;
use IO::Socket::UNIX;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => ${perlq(path)})
  or do { print STDERR "agri-play lab: the simulated PVE node is not running ($!)\\n"; exit 255 };
binmode $s; binmode STDOUT; binmode STDERR;
print $s join("\\0", ${perlq(prog)}, @ARGV);
shutdown($s, 1);
local $/;
my $r = <$s>;
my ($code, $olen, $elen, $rest) = ($r // '') =~ /\\A(\\d+) (\\d+) (\\d+)\\n(.*)\\z/s
  or do { print STDERR "agri-play lab: no answer from the simulated PVE node\\n"; exit 255 };
print STDOUT substr($rest, 0, $olen);
print STDERR substr($rest, $olen, $elen);
exit $code;
`,
    close: () => new Promise<void>((resolve) => server.close(() => (rmSync(path, { force: true }), resolve()))),
  };
}

/** `<exit code> <stdout bytes> <stderr bytes>\n` and the two outputs. */
function answer(dir: string, prog: string, argv: string[]): Buffer {
  const r = runSim(dir, prog, argv);
  const [o, e] = [Buffer.from(r.stdout), Buffer.from(r.stderr)];
  return Buffer.concat([Buffer.from(`${r.code} ${o.length} ${e.length}\n`), o, e]);
}
