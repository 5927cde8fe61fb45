import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { combineVars, mergeInto, problem, readYaml, withFloats, type Pos, type Problem } from '../source/index.js';
import { isDict, repr } from '../source/python.js';
import { hasTemplate, renderText, UndefinedVariable } from './template.js';

type Vars = Record<string, unknown>;

/** The part of a playbook this needs (kept structural so lib/vars does not import lib/playbook). */
export interface WithVarsFiles {
  dir: string;
  plays: { index: number; varsFiles: { path: string | string[]; pos: Pos }[] }[];
}

/** A vars_files entry whose name needs a host's variables (`vars/{{ ansible_os_family }}.yml`): read for each host when its tasks run. */
export class HostVarsFile {
  constructor(
    readonly entry: string | string[],
    readonly pos: Pos,
  ) {}
}

/**
 * A play's vars_files: `vars`, what every host gets (the entries named without a host's variables);
 * `parts`, where some entry needs a host's variables, every entry in order (a file's variables, or
 * the entry to read per host), as ansible-core's VariableManager reads them for each host.
 */
export interface PlayFiles {
  /** The playbook's folder, where a host's entry is looked for. */
  dir: string;
  vars: Vars;
  parts?: (Vars | HostVarsFile)[];
}

const isHostVarsFile = (p: Vars | HostVarsFile): p is HostVarsFile => p instanceof HostVarsFile;
/** An entry as ansible-core's messages name it: a name as it is, a list as Python shows it. */
const shownEntry = (entry: string | string[]): string => (typeof entry === 'string' ? entry : repr(entry));

/** A vars file a host's entry named that is not there or will not read: ansible-core's playbook error (it ends the run). */
export class VarsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VarsFileError';
  }
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

/** A vars file's variables, or its problems. */
function readVarsFile(path: string): { vars?: Vars; problems: Problem[] } {
  const parsed = readYaml(path);
  if (parsed.problems.length) return { problems: parsed.problems };
  const vars: Vars = {};
  if (isDict(parsed.value)) mergeInto(vars, withFloats(parsed.value));
  // a list of mappings is merged in order (ansible-core's preprocess_vars)
  else if (Array.isArray(parsed.value) && parsed.value.every(isDict)) for (const m of parsed.value) mergeInto(vars, withFloats(m));
  else if (parsed.value !== null) return { problems: [problem({ file: path, line: 1, col: 1 }, 'a vars file must be a mapping of variables, or a list of them')] };
  return { vars, problems: [] };
}

/**
 * Reads every play's vars_files named without a template; errors are exit 4. An entry whose name is
 * a template is read for each host when its tasks run (hostVarsFiles), rendered with its variables.
 */
export function loadVarsFiles(pb: WithVarsFiles): Map<number, PlayFiles> {
  const out = new Map<number, PlayFiles>();
  const problems: Problem[] = [];
  for (const play of pb.plays) {
    const vars: Vars = {};
    const parts: (Vars | HostVarsFile)[] = [];
    for (const vf of play.varsFiles) {
      // (a templated name is rendered for each host, with its variables: `vars/{{ ansible_os_family }}.yml`)
      if ((Array.isArray(vf.path) ? vf.path : [vf.path]).some(hasTemplate)) {
        parts.push(new HostVarsFile(vf.path, vf.pos));
        continue;
      }
      const path = firstFound(pb.dir, vf.path, {});
      if (path === undefined) {
        problems.push(problem(vf.pos, `vars file ${JSON.stringify(vf.path)} was not found`, 'ansible-core looks beside the playbook and in its vars/'));
        continue;
      }
      const read = readVarsFile(path);
      problems.push(...read.problems.map((p) => (p.message.startsWith('cannot read') ? { ...p, ...vf.pos, message: `vars_files: ${p.message}` } : p)));
      if (read.vars) {
        mergeInto(vars, read.vars);
        parts.push(read.vars);
      }
    }
    out.set(play.index, parts.some(isHostVarsFile) ? { dir: pb.dir, vars, parts } : { dir: pb.dir, vars });
  }
  if (problems.length) throw new InputError(problems);
  return out;
}

/**
 * A play's vars_files for one host, as ansible-core's get_vars reads them: each entry that needs the
 * host's variables rendered with `base(filesSoFar)` (its variables up to the play's and the files
 * before it). One whose variable is still undefined is passed over (`complete` false: facts may
 * define it later), unless the host's facts were gathered, as ansible-core then raises; a list none
 * of whose files is there is its error too. `read` reads a file (a cache may answer).
 */
export function hostVarsFiles(dir: string, parts: (Vars | HostVarsFile)[], base: (sofar: Vars) => Vars, gathered: boolean, read: (path: string) => Vars): { vars: Vars; paths: string[]; complete: boolean } {
  let vars: Vars = {};
  const paths: string[] = [];
  let complete = true;
  for (const part of parts) {
    if (!isHostVarsFile(part)) {
      vars = combineVars(vars, part);
      continue;
    }
    let path: string | undefined;
    try {
      path = firstFound(dir, part.entry, base(vars));
    } catch (e) {
      if (!(e instanceof UndefinedVariable)) throw e;
      if (gathered) throw new VarsFileError(`an undefined variable was found when attempting to template the vars_files item '${shownEntry(part.entry)}'`);
      complete = false;
      continue;
    }
    if (path === undefined || !existsSync(path)) throw new VarsFileError(`vars file ${shownEntry(part.entry)} was not found`);
    paths.push(path);
    vars = combineVars(vars, read(path));
  }
  return { vars, paths, complete };
}

/** A vars file a host's entry names, read when first needed (exit 4's problems are its error). */
export function readHostVarsFile(path: string): Vars {
  const read = readVarsFile(path);
  if (!read.vars) throw new VarsFileError(read.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('; '));
  return read.vars;
}
