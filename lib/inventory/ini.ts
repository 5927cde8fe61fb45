import { readFileSync, statSync } from 'node:fs';
import { MAX_YAML_BYTES, problem, type Pos, type Problem } from '../source/index.js';
import { literal } from '../source/pyliteral.js';
import { hostAndPort } from './ranges.js';
import { groupName } from './group-names.js';
import { PyFloat } from '../source/python.js';

/**
 * Ansible's INI inventory format, read into the YAML inventory shape (`all:` → `hosts`, `vars`,
 * `children`), so both load the same way. No INI library fits: host lines are `name key=value …`
 * (shell-quoted), `[group:vars]` and `[group:children]` are Ansible's, and values are Python
 * literals (ansible-core's ini plugin: `ast.literal_eval`, else the text).
 */
export function readIniInventory(file: string): { doc: Record<string, unknown>; problems: Problem[]; order?: { groups: string[]; hosts: string[] }; undeclared?: Undeclared[] } {
  const problems: Problem[] = [];
  const st = statSync(file);
  if (!st.isFile() || st.size > MAX_YAML_BYTES) return { doc: {}, problems: [problem({ file, line: 1, col: 1 }, `${file} is not a regular file of at most 8 MiB`)] };
  const groups = new Map<string, { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown>; children: Set<string> }>();
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { hosts: {}, vars: {}, children: new Set() }));
    return g;
  };
  // (the file's order of hosts — a range as written — and of groups: ansible-core's ini plugin adds them so)
  const hostOrder: string[] = [];
  const seenHosts = new Set<string>();
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  // (groups a [name] or [name:children] section declares; a child or [name:vars] of no such group is refused at the end, as the ini plugin's pending declarations)
  const declared = new Set(['all', 'ungrouped']);
  const pending = new Map<string, Undeclared>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const at = { file, line: i + 1, col: 1 };
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) return;
      // (the ini plugin's section pattern: no space in the name, a comment may follow)
      const head = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/.exec(line);
      if (head) {
        // (the ini plugin makes a section's name safe as it reads it; a name under :children stays as written)
        section = groupName(head[1], at);
        kind = head[2] === undefined ? 'hosts' : (head[2] as 'vars' | 'children');
        if (!['hosts', 'vars', 'children'].includes(kind)) problems.push(problem(at, `unknown section kind ':${head[2]}' (Ansible has :vars and :children)`));
        if (kind !== 'vars') declared.add(section);
        else if (!declared.has(section) && !pending.has(section)) pending.set(section, { group: section, at, message: `Section [${section}:vars] not valid for undefined group: ${section}` });
        group(section);
        return;
      }
      // (a line in brackets that is no section is refused; `[2001:db8::1]:22` is a host, as the ini plugin reads it)
      if (line.startsWith('[') && /\]\s*$/.test(line)) return void problems.push(problem(at, `bad section header ${line}`, 'sections look like [group], [group:vars] or [group:children]'));
      if (kind === 'children') {
        // (the ini plugin's groupname pattern: a comment may follow the name)
        const child = /^([^:\]\s]+)\s*(?:#.*)?$/.exec(line);
        if (!child) return void problems.push(problem(at, `expected a group name in [${section}:children], got '${line}'`));
        group(section).children.add(child[1]);
        group(child[1]);
        if (!declared.has(child[1])) pending.set(child[1], { group: child[1], at, message: `Section [${section}:children] includes undefined group: ${child[1]}` });
        return;
      }
      if (kind === 'vars') {
        const eq = line.indexOf('=');
        if (eq < 0) return void problems.push(problem(at, `expected key=value in [${section}:vars], got '${line}'`));
        group(section).vars[line.slice(0, eq).trim()] = value(line.slice(eq + 1).trim());
        return;
      }
      const words = shellWords(line);
      const [name, ...rest] = words;
      const vars: Record<string, unknown> = {};
      for (const w of rest) {
        const eq = w.indexOf('=');
        if (eq < 0) return void problems.push(problem(at, `expected key=value after the host name, got '${w}'`));
        vars[w.slice(0, eq)] = value(w.slice(eq + 1));
      }
      // host:port (a range's colons are not a port's, an IPv6 address's only in brackets); a written ansible_port over it, as _populate_host_vars sets them
      const { host, port } = hostAndPort(name);
      if (port !== undefined && vars.ansible_port === undefined) vars.ansible_port = port;
      if (!seenHosts.has(host)) (seenHosts.add(host), hostOrder.push(host));
      group(section).hosts[host] = { ...(group(section).hosts[host] ?? {}), ...vars };
    });
  // all: its vars, ungrouped hosts, and every group no other group has as a child
  const childOf = new Set([...groups.values()].flatMap((g) => [...g.children]));
  const build = (name: string, seen: Set<string>): Record<string, unknown> => {
    const g = groups.get(name)!;
    const out: Record<string, unknown> = {};
    if (Object.keys(g.hosts).length) out.hosts = g.hosts;
    if (Object.keys(g.vars).length) out.vars = g.vars;
    const kids = [...g.children].filter((c) => !seen.has(c));
    if (kids.length) out.children = Object.fromEntries(kids.map((c) => [c, build(c, new Set([...seen, c]))]));
    return out;
  };
  const all = groups.get('all');
  const top = [...groups.keys()].filter((g) => g !== 'all' && !childOf.has(g));
  // (the groups no group has as a child beside `all`, not under it: ansible-core links them to `all` when the inventory is reconciled, after the sources that name their parents)
  const doc = { all: all ? build('all', new Set(['all'])) : {}, ...Object.fromEntries(top.map((g) => [g, build(g, new Set([g]))])) };
  return { doc, problems, order: { groups: [...groups.keys()], hosts: hostOrder }, undeclared: [...pending.values()].filter((u) => !declared.has(u.group)) };
}

/** A group a file names as a child, or gives vars, without declaring it: refused unless another source has it. */
export interface Undeclared {
  group: string;
  at: Pos;
  message: string;
}

/** A value as the ini plugin reads it: a Python literal (2222, True, ['a'], {'k': 1}), else the text. */
function value(v: string): unknown {
  const lit = /^[[{('"\-+\d.]|^(True|False|None)$/.test(v) ? literal(v) : undefined;
  // (a float keeps its type: `ratio=1.0` is 1.0, as literal_eval gives it)
  return lit === undefined ? v : lists(lit);
}

/** A tuple in an inventory value is a list there (ansible-core: `x=1,2` and `x=(1, 2)` give [1, 2]). */
const lists = (x: unknown): unknown => (Array.isArray(x) ? x.map(lists) : x !== null && typeof x === 'object' && !(x instanceof PyFloat) ? Object.fromEntries(Object.entries(x).map(([k, e]) => [k, lists(e)])) : x);

/** shlex-style words (posix, comments on): quotes group, backslashes escape, a `#` outside quotes ends the line. */
function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (c === '\\' && i + 1 < s.length) cur += s[++i];
    else if (c === '#') break;
    else if (/\s/.test(c)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}
