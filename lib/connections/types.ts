/** What every connection kind offers: run a command, read/write/stat a file, close. */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string | Buffer;
  /** Run as this user: through sudo, or su (`method`; su takes no password: it reads one only from a terminal). */
  become?: { user?: string; password?: string; method?: 'su'; flags?: string[] };
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Output as the command wrote it (by default one final newline is taken off). */
  keepEnds?: boolean;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** The command as run, for messages (never contains secrets: callers redact). */
  cmd: string;
}

export interface FileStat {
  type: 'file' | 'directory' | 'link' | 'other';
  /** Octal permission string, e.g. '0644'. */
  mode: string;
  size: number;
  uid: number;
  gid: number;
  mtime: number;
  linkTarget?: string;
}

export interface WriteOptions {
  mode?: string;
  /** Create missing parent folders (lineinfile create: true); otherwise a missing folder is an error. */
  mkdirs?: boolean;
  /** The file being replaced's owner, kept (as ansible-core's atomic_move keeps it); not settable by a non-root user, then left. */
  keep?: { uid: number; gid: number };
}

/** Where a connection notes each temp file it makes beside a target, before and after (see TempLedger). */
export interface TempNotes {
  begin(path: string): void;
  end(path: string): void;
}

export interface Connection {
  readonly kind: string;
  /** The user it logs in (or runs) as, where it knows it: file writes under become to another user go through become. */
  readonly user?: string;
  /** Set by the run: temp files are noted here so a killed run's leftovers are removed by the next. */
  temps?: TempNotes;
  /** argv is run without a shell; a `{ shell }` command runs under `/bin/sh -c`. */
  exec(cmd: string[] | { shell: string }, opts?: ExecOptions): Promise<ExecResult>;
  /** File bytes, or null when the path does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** Writes atomically: a temp file beside the target, then rename. */
  writeFile(path: string, data: Buffer, opts?: WriteOptions): Promise<void>;
  /** lstat-like; null when absent. */
  stat(path: string): Promise<FileStat | null>;
  /** Creates a folder and its missing parents. */
  mkdir(path: string, mode?: string): Promise<void>;
  chmod(path: string, mode: string): Promise<void>;
  close(): Promise<void>;
  /** Round trips made so far (for -v and the recap). */
  roundTrips(): number;
}

/** A host could not be reached: the engine reports it as unreachable (exit 3), not failed. */
/** A file operation the target refused (read-only or full filesystem, permissions): the task fails with why. */
export class FileOpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileOpError';
  }
}

export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}
