/** Where the CLI prints; tests capture it. */
export interface Output {
  color: boolean;
  line(s: string): void;
  error(s: string): void;
}

export function processOutput(color: boolean): Output {
  return {
    color,
    line: (s) => void process.stdout.write(s + '\n'),
    error: (s) => void process.stderr.write(s + '\n'),
  };
}
