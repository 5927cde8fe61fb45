/** Where the CLI prints; tests capture it. */
export interface Output {
  color: boolean;
  line(s: string): void;
  error(s: string): void;
}

let pipeHandled = false;
/** A reader that went away (`agri-play doc | head`) ends the output quietly, as `cat` does, not with a crash. */
function quietOnClosedPipe(): void {
  if (pipeHandled) return;
  pipeHandled = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export function processOutput(color: boolean): Output {
  quietOnClosedPipe();
  return {
    color,
    line: (s) => void process.stdout.write(s + '\n'),
    error: (s) => void process.stderr.write(s + '\n'),
  };
}
