/**
 * Python's configparser.RawConfigParser (3.11, its defaults: strict, `=`/`:` delimiters, `#`/`;`
 * full-line comments, empty lines inside values, option names lower-cased), as the modules and
 * lookups that use it read and write INI files (yum_repository, the ini lookup). Not a general INI
 * library: the npm ones (`ini`, `js-ini`) parse differently (continuation lines, duplicate
 * sections, case), and a file must be read exactly as ansible-core's Python does to decide
 * "changed" the same way. An option without a value (allow_no_value) is null.
 */
export interface PyConfig {
  defaults: Map<string, string | null>;
  sections: Map<string, Map<string, string | null>>;
}

/** ConfigParser's allow_no_value, and an optionxform that keeps the names' case (ansible's case_sensitive). */
export interface PyConfigOptions {
  allowNoValue?: boolean;
  caseSensitive?: boolean;
}

export class PyConfigError extends Error {}

const SECT = /^\[(.+)\]/;
const OPT = /^(.*?)\s*(=|:)\s*(.*)$/;

export function readPyConfig(text: string, file: string, o: PyConfigOptions = {}): PyConfig {
  const cfg: PyConfig = { defaults: new Map(), sections: new Map() };
  const values = new Map<Map<string, string | null>, Map<string, string[] | null>>();
  const added = new Set<string>();
  let cur: Map<string, string[] | null> | undefined;
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
      if (!comment && cur && opt !== undefined) cur.get(opt)?.push('');
      return;
    }
    const level = line.search(/\S/);
    if (cur && opt !== undefined && level > indent && cur.get(opt)) {
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
    const m = OPT.exec(value) ?? (o.allowNoValue ? [value, value, '', null] : null);
    if (!m || !m[1]) {
      bad.push(i + 1);
      return;
    }
    opt = o.caseSensitive ? m[1].trimEnd() : m[1].trimEnd().toLowerCase();
    const key = `${sect}\0${opt}`;
    if (added.has(key)) throw new PyConfigError(`While reading from '${file}' [line ${String(i + 1).padStart(2)}]: option '${opt}' in section '${sect}' already exists`);
    added.add(key);
    cur.set(opt, m[3] === null ? null : [m[3].trim()]);
  });
  if (bad.length) throw new PyConfigError(`Source contains parsing errors: '${file}'${bad.map((n) => `\n\t[line ${String(n).padStart(2)}]`).join('')}`);
  for (const [target, lists] of values) for (const [k, v] of lists) target.set(k, v === null ? null : v.join('\n').trimEnd());
  return cfg;
}

function lists(values: Map<Map<string, string | null>, Map<string, string[] | null>>, target: Map<string, string | null>): Map<string, string[] | null> {
  let l = values.get(target);
  if (!l) values.set(target, (l = new Map()));
  return l;
}

/** RawConfigParser.write: DEFAULT first, sections in insertion order, `key = value`, continuation lines tab-indented, a blank line after each. */
export function writePyConfig(cfg: PyConfig): string {
  const section = (name: string, items: Map<string, string | null>) => `[${name}]\n${[...items].map(([k, v]) => (v === null ? `${k}\n` : `${k} = ${v.replace(/\n/g, '\n\t')}\n`)).join('')}\n`;
  return (cfg.defaults.size ? section('DEFAULT', cfg.defaults) : '') + [...cfg.sections].map(([n, items]) => section(n, items)).join('');
}

/** A section's items as RawConfigParser.items(section) gives them: the defaults, overridden by the section's own. */
export function itemsOf(cfg: PyConfig, name: string): Map<string, string | null> {
  return new Map([...cfg.defaults, ...(cfg.sections.get(name) ?? [])]);
}

/**
 * ConfigParser's BasicInterpolation of a value read with get() or items(): `%%` is `%`, `%(name)s`
 * another option's value (of the section or DEFAULT, names as optionxform made them), at most 10 deep.
 */
export function interpolate(value: string, items: Map<string, string | null>, section: string, option: string, depth = 1): string {
  if (depth > 10) throw new PyConfigError(`Recursion limit exceeded in value substitution: option '${option}' in section '${section}' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '${value}'`);
  let out = '';
  for (let i = 0; i < value.length; ) {
    const at = value.indexOf('%', i);
    if (at < 0) return out + value.slice(i);
    out += value.slice(i, at);
    const next = value[at + 1];
    if (next === '%') {
      out += '%';
      i = at + 2;
      continue;
    }
    const m = next === '(' ? /^%\(([^)]*)\)s/.exec(value.slice(at)) : null;
    if (!m) throw new PyConfigError(next === '(' ? `bad interpolation variable reference '${value.slice(at)}'` : `'%' must be followed by '%' or '(', found: '${value.slice(at)}'`);
    const ref = items.get(m[1].toLowerCase()) ?? items.get(m[1]);
    if (ref === undefined || ref === null) throw new PyConfigError(`Bad value substitution: option '${option}' in section '${section}' contains an interpolation key '${m[1]}' which is not a valid option name. Raw value: '${value}'`);
    out += ref.includes('%') ? interpolate(ref, items, section, m[1], depth + 1) : ref;
    i = at + m[0].length;
  }
  return out;
}
