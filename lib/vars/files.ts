import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { problem, readYaml, withFloats, type Pos, type Problem } from '../source/index.js';
import { renderText } from './template.js';

type Vars = Record<string, unknown>;

/** The part of a playbook this needs (kept structural so lib/vars does not import lib/playbook). */
export interface WithVarsFiles {
  dir: string;
  plays: { index: number; vars: Vars; varsFiles: { path: string; pos: Pos }[] }[];
}

/** Reads every play's vars_files (paths may use play vars and -e vars); errors are exit 4. */
export function loadVarsFiles(pb: WithVarsFiles, extraVars: Vars): Map<number, Vars> {
  const out = new Map<number, Vars>();
  const problems: Problem[] = [];
  for (const play of pb.plays) {
    const vars: Vars = {};
    for (const vf of play.varsFiles) {
      let path: string;
      try {
        path = resolve(pb.dir, renderText(vf.path, { ...play.vars, ...extraVars }));
      } catch (e) {
        problems.push(problem(vf.pos, `vars_files: ${(e as Error).message}`));
        continue;
      }
      const parsed = readYaml(path);
      if (parsed.problems.length) problems.push(...parsed.problems.map((p) => (p.message.startsWith('cannot read') ? { ...p, ...vf.pos, message: `vars_files: ${p.message}` } : p)));
      else if (parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)) Object.assign(vars, withFloats(parsed.value));
      else if (parsed.value !== null) problems.push(problem({ file: path, line: 1, col: 1 }, 'a vars file must be a mapping of variables'));
    }
    out.set(play.index, vars);
  }
  if (problems.length) throw new InputError(problems);
  return out;
}
