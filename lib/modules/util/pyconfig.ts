/**
 * Python's configparser.RawConfigParser (3.11, its defaults: strict, `=`/`:` delimiters, `#`/`;`
 * full-line comments, empty lines inside values, option names lower-cased), as the modules that
 * use it read and write INI files (yum_repository). Not a general INI library: the npm ones
 * (`ini`, `js-ini`) parse differently (continuation lines, duplicate sections, case), and a
 * module must read a file exactly as ansible-core's Python does to decide "changed" the same way.
 */
export interface PyConfig {
  defaults: Map<string, string>;
  sections: Map<string, Map<string, string>>;
}

export class PyConfigError extends Error {}

const SECT = /^\[(.+)\]/;
const OPT = /^(.*?)\s*(=|:)\s*(.*)$/;

export function readPyConfig(text: string, file: string): PyConfig {
  const cfg: PyConfig = { defaults: new Map(), sections: new Map() };
  const values = new Map<Map<string, string>, Map<string, string[]>>();
  const added = new Set<string>();
  let cur: Map<string, string[]> | undefined;
  let sect = '';
  let opt: string | undefined;
  let indent = Number.MAX_SAFE_INTEGER;
  const bad: number[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const comment = /^\s*[#;]/.test(line);
    const value = comment ? '' : line.trim();
    if (!value) {
      if (!comment && cur && opt !== undefined) cur.get(opt)!.push('');
      return;
    }
    const level = line.search(/\S/);
    if (cur && opt !== undefined && level > indent) {
      cur.get(opt)!.push(value);
      return;
    }
    indent = level;
    const header = SECT.exec(value);
    if (header) {
      sect = header[1];
      if (sect === 'DEFAULT') cur = lists(values, cfg.defaults);
      else {
        if (added.has(sect)) throw new PyConfigError(`While reading from '${file}' [line ${String(i + 1).padStart(2)}]: section '${sect}' already exists`);
        if (!cfg.sections.has(sect)) cfg.sections.set(sect, new Map());
        cur = lists(values, cfg.sections.get(sect)!);
        added.add(sect);
      }
      opt = undefined;
      return;
    }
    if (!cur) throw new PyConfigError(`File contains no section headers.\nfile: '${file}', line: ${i + 1}\n'${line}\\n'`);
    const m = OPT.exec(value);
    if (!m || !m[1]) {
      bad.push(i + 1);
      return;
    }
    opt = m[1].trimEnd().toLowerCase();
    const key = `${sect}\0${opt}`;
    if (added.has(key)) throw new PyConfigError(`While reading from '${file}' [line ${String(i + 1).padStart(2)}]: option '${opt}' in section '${sect}' already exists`);
    added.add(key);
    cur.set(opt, [m[3].trim()]);
  });
  if (bad.length) throw new PyConfigError(`Source contains parsing errors: '${file}'${bad.map((n) => `\n\t[line ${String(n).padStart(2)}]`).join('')}`);
  for (const [target, lists] of values) for (const [k, v] of lists) target.set(k, v.join('\n').trimEnd());
  return cfg;
}

function lists(values: Map<Map<string, string>, Map<string, string[]>>, target: Map<string, string>): Map<string, string[]> {
  let l = values.get(target);
  if (!l) values.set(target, (l = new Map()));
  return l;
}

/** RawConfigParser.write: DEFAULT first, sections in insertion order, `key = value`, continuation lines tab-indented, a blank line after each. */
export function writePyConfig(cfg: PyConfig): string {
  const section = (name: string, items: Map<string, string>) => `[${name}]\n${[...items].map(([k, v]) => `${k} = ${v.replace(/\n/g, '\n\t')}\n`).join('')}\n`;
  return (cfg.defaults.size ? section('DEFAULT', cfg.defaults) : '') + [...cfg.sections].map(([n, items]) => section(n, items)).join('');
}

/** A section's items as RawConfigParser.items(section) gives them: the defaults, overridden by the section's own. */
export function itemsOf(cfg: PyConfig, name: string): Map<string, string> {
  return new Map([...cfg.defaults, ...(cfg.sections.get(name) ?? [])]);
}
