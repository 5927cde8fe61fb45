import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { mergeInto, problem, readYaml, withFloats, type Pos, type Problem } from '../source/index.js';
import { isDict } from '../source/python.js';
import { renderText, UndefinedVariable } from './template.js';

type Vars = Record<string, unknown>;

/** The part of a playbook this needs (kept structural so lib/vars does not import lib/playbook). */
export interface WithVarsFiles {
  dir: string;
  plays: { index: number; vars: Vars; varsFiles: { path: string | string[]; pos: Pos }[] }[];
}

/** Where a vars_files entry is: beside the playbook, then in its vars/ (path_dwim_relative_stack); for a list, its first file that is there. */
function firstFound(dir: string, entry: string | string[], vars: Vars): string | undefined {
  // (each name rendered only when reached, as ansible-core's loop; a single file that is not there is read anyway, so its error names it)
  for (const e of Array.isArray(entry) ? entry : [entry]) {
    const name = renderText(e, vars);
    const found = [resolve(dir, name), resolve(dir, 'vars', name)].find((p) => existsSync(p));
    if (found || !Array.isArray(entry)) return found ?? resolve(dir, name);
  }
  return undefined;
}

/** Reads every play's vars_files (paths may use play vars and -e vars); errors are exit 4. */
export function loadVarsFiles(pb: WithVarsFiles, extraVars: Vars): Map<number, Vars> {
  const out = new Map<number, Vars>();
  const problems: Problem[] = [];
  for (const play of pb.plays) {
    const vars: Vars = {};
    for (const vf of play.varsFiles) {
      let path: string | undefined;
      try {
        path = firstFound(pb.dir, vf.path, { ...play.vars, ...extraVars });
      } catch (e) {
        // a list's name with a variable not defined here: ansible-core passes over the entry (its -vvv note)
        if (Array.isArray(vf.path) && e instanceof UndefinedVariable) continue;
        problems.push(problem(vf.pos, `vars_files: ${(e as Error).message}`));
        continue;
      }
      if (path === undefined) {
        problems.push(problem(vf.pos, `vars file ${JSON.stringify(vf.path)} was not found`, 'ansible-core looks beside the playbook and in its vars/'));
        continue;
      }
      const parsed = readYaml(path);
      if (parsed.problems.length) problems.push(...parsed.problems.map((p) => (p.message.startsWith('cannot read') ? { ...p, ...vf.pos, message: `vars_files: ${p.message}` } : p)));
      else if (isDict(parsed.value)) mergeInto(vars, withFloats(parsed.value));
      // a list of mappings is merged in order (ansible-core's preprocess_vars)
      else if (Array.isArray(parsed.value) && parsed.value.every(isDict)) for (const m of parsed.value) mergeInto(vars, withFloats(m));
      else if (parsed.value !== null) problems.push(problem({ file: path, line: 1, col: 1 }, 'a vars file must be a mapping of variables, or a list of them'));
    }
    out.set(play.index, vars);
  }
  if (problems.length) throw new InputError(problems);
  return out;
}
