import type { TSchema } from '../source/vendor/typebox.js';
import { UsageError } from '../errors.js';
import { findSpec, loadModule, specNames, type Module } from '../modules/index.js';
import { builtinModules } from '../modules/all.js';
import { closest } from '../source/index.js';
import { templateCatalog } from '../vars/index.js';
import type { Output } from './output.js';
import { DOC_HELP } from './doc-help.js';

type Schema = TSchema & { type?: string | string[]; description?: string; default?: unknown; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; items?: Schema; properties?: Record<string, Schema>; required?: string[] };

/** A parameter's type as the docs show it: str, int, bool, list of str, dict, one of a|b. */
export function typeOf(s: Schema): string {
  const literals = s.anyOf?.every((x) => x.const !== undefined) ? s.anyOf.map((x) => String(x.const)) : s.enum?.map(String);
  if (literals) return `one of ${literals.join('|')}`;
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(' or ');
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (t === 'array') return s.items ? `list of ${typeOf(s.items)}` : 'list';
  return ({ string: 'str', integer: 'int', number: 'float', boolean: 'bool', object: 'dict' } as Record<string, string>)[t ?? ''] ?? 'any';
}

/** One row per parameter: name, type, required, default, aliases, description. */
export function parameters(m: Module): { name: string; type: string; required: boolean; default?: unknown; aliases: string[]; description: string }[] {
  const s = m.args as Schema;
  const aliases = Object.entries(m.aliases ?? {});
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    type: typeOf(p),
    required: (s.required ?? []).includes(name),
    ...(p.default !== undefined ? { default: p.default } : {}),
    aliases: aliases.filter(([, to]) => to === name).map(([a]) => a),
    description: p.description ?? '',
  }));
}

/** The names a module answers to (its own, ansible.builtin.*, kubernetes.core.*, …). */
export function namesOf(m: Module): string[] {
  return specNames().filter((n) => findSpec(n)?.name === m.name);
}

function moduleDoc(m: Module): string {
  const params = parameters(m);
  const lines = [`${m.name} — ${m.description}`, '', `names: ${namesOf(m).join(', ')}`, `kind: ${m.kind === 'state' ? 'checks the world, changes only what differs (check mode: reports what would change)' : 'controller-side action (runs in check mode too)'}`];
  if (m.freeForm) lines.push(`free-form: \`${m.name}: TEXT\` sets ${m.freeForm}`);
  lines.push('', 'parameters:');
  for (const p of params) {
    const extra = [p.required ? 'required' : undefined, p.default !== undefined ? `default ${JSON.stringify(p.default)}` : undefined, p.aliases.length ? `aliases ${p.aliases.join(', ')}` : undefined].filter(Boolean).join('; ');
    lines.push(`  ${p.name} (${p.type}${extra ? `; ${extra}` : ''})`, ...(p.description ? [`      ${p.description}`] : []));
  }
  lines.push('', 'returns: changed, failed, msg' + (m.kind === 'state' ? ', and with --diff the difference (before/after)' : ''), '', 'example:', `  - name: ${m.name} example`, `    ${m.name}:`);
  for (const p of params.filter((x) => x.required)) lines.push(`      ${p.name}: ${exampleValue(p.type)}`);
  if (!params.some((x) => x.required) && params[0]) lines.push(`      ${params[0].name}: ${exampleValue(params[0].type)}`);
  return lines.join('\n');
}

const exampleValue = (type: string) => (type.startsWith('one of ') ? type.slice(7).split('|')[0] : type === 'int' ? '1' : type === 'bool' ? 'true' : type.startsWith('list') ? '[]' : type === 'dict' ? '{}' : '...');

/** `agri-play doc`: like ansible-doc, generated from the modules' schemas so it cannot drift. */
export async function docCommand(argv: string[], o: Output): Promise<number> {
  let kind = 'module';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-t' || argv[i] === '--type') kind = argv[++i] ?? '';
    else if (argv[i].startsWith('--type=')) kind = argv[i].slice(7);
    else if (argv[i].startsWith('-')) throw new UsageError(`doc: unknown option ${argv[i]}\n${DOC_HELP}`);
    else rest.push(argv[i]);
  }
  if (!['module', 'filter', 'test', 'lookup'].includes(kind)) throw new UsageError(`doc -t takes module, filter, test or lookup (got '${kind}')`);
  if (kind !== 'module') {
    const names = templateCatalog()[kind as 'filter' | 'test' | 'lookup'].filter((n) => !/^(ansible\.(builtin|utils|netcommon)|community\.general)\./.test(n) || kind === 'lookup');
    o.line(`${kind}s (${names.length}; each also answers to ansible.builtin., ansible.utils. and community.general. names):\n${names.join('  ')}`);
    return 0;
  }
  if (rest.length === 0) {
    for (const m of [...builtinModules].sort((a, b) => a.name.localeCompare(b.name))) o.line(`${m.name.padEnd(18)} ${m.description}${namesOf(m).length > 3 ? ` (also ${namesOf(m).filter((n) => n !== m.name && !n.startsWith('ansible.')).join(', ')})` : ''}`);
    return 0;
  }
  for (const name of rest) {
    const m = await loadModule(name);
    if (!m) {
      const hint = closest(name, specNames());
      throw new UsageError(`doc: no module '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    }
    o.line(moduleDoc(m));
  }
  return 0;
}
