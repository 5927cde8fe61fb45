import type { Connection, ExecResult, FileStat, WriteOptions } from './types.js';

/**
 * A host that lives in memory: files in a Map, commands answered without running anything.
 * For benchmarks and executor tests that must not touch the disk.
 */
export class MemoryConnection implements Connection {
  readonly kind = 'memory';
  private trips = 0;
  readonly files = new Map<string, { data: Buffer; mode: string; dir: boolean }>();

  /**
   * `dirs`: folders the host starts with (exec runs no shell here, so scripts can't make them);
   * `files`: files it starts with (a real host's /etc/passwd and /etc/group, which name its ids).
   */
  constructor(dirs: string[] = [], files: Record<string, string | Buffer> = {}) {
    for (const d of dirs) void this.mkdir(d);
    for (const [p, data] of Object.entries(files)) this.files.set(p, { data: Buffer.from(data), mode: '0644', dir: false });
    this.trips = 0;
  }

  async exec(cmd: string[] | { shell: string }): Promise<ExecResult> {
    this.trips++;
    const argv = Array.isArray(cmd) ? cmd : ['sh', '-c', cmd.shell];
    const path = argv[argv.length - 1];
    if (argv[0] === 'touch' && !this.files.has(path)) this.files.set(path, { data: Buffer.alloc(0), mode: '0644', dir: false });
    else if (argv[0] === 'rm') this.files.delete(path);
    return { rc: 0, stdout: '', stderr: '', cmd: argv.join(' ') };
  }

  async readFile(path: string): Promise<Buffer | null> {
    this.trips++;
    return this.files.get(path)?.data ?? null;
  }

  async writeFile(path: string, data: Buffer, opts: WriteOptions = {}): Promise<void> {
    this.trips++;
    this.files.set(path, { data, mode: opts.mode ?? '0644', dir: false });
  }

  async stat(path: string): Promise<FileStat | null> {
    this.trips++;
    const f = this.files.get(path);
    return f ? { type: f.dir ? 'directory' : 'file', mode: f.mode, size: f.data.length, uid: 0, gid: 0, mtime: 0 } : null;
  }

  /** Creates the folder and its missing parents, as the interface promises (mkdir -p). */
  async mkdir(path: string, mode = '0755'): Promise<void> {
    this.trips++;
    for (let p = path; p && p !== '/' && !this.files.has(p); p = p.slice(0, p.lastIndexOf('/'))) this.files.set(p, { data: Buffer.alloc(0), mode, dir: true });
  }

  async chmod(path: string, mode: string): Promise<void> {
    this.trips++;
    const f = this.files.get(path);
    if (f) f.mode = mode;
  }

  async close(): Promise<void> {}

  roundTrips(): number {
    return this.trips;
  }
}


