/** A position in a source file, 1-based line and column. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

/** One thing wrong with the input, with where it is and (where known) what was meant. */
export interface Problem extends Pos {
  message: string;
  hint?: string;
  /** A module argument's problem in AnsibleModule's words (what a task that runs it fails with). */
  ansible?: string;
}

export function problem(pos: Pos | undefined, message: string, hint?: string): Problem {
  const at = pos ?? { file: '<input>', line: 1, col: 1 };
  return { file: at.file, line: at.line, col: at.col, message, ...(hint ? { hint } : {}) };
}
