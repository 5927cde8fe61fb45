import { inventoryVars, varPosition, type Inventory } from '../inventory/index.js';
import type { RoleInfo, RoleOption } from '../playbook/index.js';
import { problem, type Pos, type Problem } from '../source/index.js';
import { hasTemplate } from '../vars/index.js';
import type { Plan } from './types.js';

const TYPES: Record<string, (v: unknown) => boolean> = {
  str: (v) => typeof v === 'string',
  path: (v) => typeof v === 'string',
  int: (v) => Number.isInteger(typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v),
  float: (v) => typeof (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)) ? Number(v) : v) === 'number',
  bool: (v) => typeof v === 'boolean' || (typeof v === 'string' && /^(yes|no|true|false|on|off|0|1)$/i.test(v)),
  list: (v) => Array.isArray(v),
  dict: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  raw: () => true,
};

const isTemplated = (v: unknown): boolean => (typeof v === 'string' ? hasTemplate(v) : v !== null && typeof v === 'object' ? Object.values(v).some(isTemplated) : false);

/** What is wrong with a value given for an option; `converts`: the role's validation task takes any value as str (ansible-core's check_type_str converts it). */
function why(o: RoleOption, v: unknown, converts = false): string | undefined {
  if (o.type && !(converts && (o.type === 'str' || o.type === 'path')) && !TYPES[o.type]?.(v)) return `must be ${o.type}, got ${JSON.stringify(v)}`;
  // (a list's choices are its elements', as ArgumentSpecValidator checks them: each one of them)
  const chosen = (x: unknown) => o.choices!.some((c) => String(c) === String(x));
  if (o.choices && !(Array.isArray(v) ? v.every(chosen) : chosen(v))) return `must be ${Array.isArray(v) ? 'one or more' : 'one'} of ${o.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`;
  const n = Number(v);
  if (o.minimum !== undefined && n < o.minimum) return `must be at least ${o.minimum}, got ${JSON.stringify(v)}`;
  if (o.maximum !== undefined && n > o.maximum) return `must be at most ${o.maximum}, got ${JSON.stringify(v)}`;
  if (o.pattern && !new RegExp(o.pattern).test(String(v))) return `must match ${o.pattern}, got ${JSON.stringify(v)}`;
  return undefined;
}

/**
 * Checks each role's typed parameters (meta/argument_specs) for every host the role runs on,
 * before anything runs (unless a block's rescue around the role would handle its failure): the value a host would see (role defaults < inventory < play vars <
 * role params < extra vars), when it is data, not a template. One problem per place written.
 */
export function checkRoleParams(plan: Plan, inv: Inventory, extraVars: Record<string, unknown>): Problem[] {
  const out = new Map<string, Problem>();
  for (const pp of plan.plays) {
    const uses = new Map<string, { role: RoleInfo; params: Record<string, unknown>; pos: Pos }>();
    for (const f of pp.flat) {
      const at = f.chain.findIndex((c) => c.block.role?.options);
      const frame = f.chain[at];
      if (!frame || uses.has(frame.block.id)) continue;
      // a rescue around it handles the failure of the role's validation task, as under ansible-core: not refused before the run
      if (f.chain.slice(0, at).some((c) => c.section === 'block' && c.block.rescue.length > 0)) continue;
      const params = { ...frame.block.role!.entryVars, ...frame.block.role!.params };
      uses.set(frame.block.id, { role: frame.block.role!, params, pos: frame.block.pos });
    }
    for (const { role, params, pos } of uses.values()) {
      for (const host of pp.hosts) {
        const h = inv.hosts.get(host)!;
        const vars = { ...role.defaults, ...inventoryVars(inv, h), ...pp.play.vars, ...params, ...extraVars };
        for (const [name, o] of Object.entries(role.options!)) {
          const v = vars[name];
          const at = name in extraVars ? { file: '-e', line: 1, col: 1 } : name in params || name in pp.play.vars ? pos : (varPosition(inv, h, name) ?? pos);
          let msg: string | undefined;
          if (v === undefined) msg = o.required && !role.specTask ? `role ${role.name} needs '${name}' for host ${host}, and it is not set` : undefined;
          else if (!isTemplated(v)) {
            const wrong = why(o, v, role.specTask);
            msg = wrong && `role ${role.name}: '${name}' for host ${host} ${wrong}`;
          }
          if (msg) out.set(`${at.file}:${at.line}:${at.col}:${name}`, problem(at, msg, describe(o)));
        }
      }
    }
  }
  return [...out.values()];
}

const describe = (o: RoleOption) => (Array.isArray(o.description) ? o.description.join(' ') : o.description);
