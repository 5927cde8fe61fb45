import { hasTemplate, OMIT } from './template.js';
import { pyClass, TemplateError, UndefinedVariable } from './template-errors.js';
import { keepVar, keptArgs } from './kept-text.js';
import { renderData } from './render-value.js';
import { SecretsPending } from './secrets.js';
import { Unresolved } from '../source/python.js';
import { VaultError } from '../source/vault.js';

/**
 * A variable whose template raised an error that is no undefined value: ansible-core's AnsibleJ2Vars
 * raises it, wrapped, wherever the variable is used (an undefined one is only undefined there).
 */
function unhandled(text: string, e: Error): TemplateError {
  const py = e instanceof TemplateError ? e.py : undefined;
  const msg = py ? py.msg : e instanceof TemplateError ? e.reason : e.message;
  return new TemplateError(`An unhandled exception occurred while templating '${text}'. Error was a ${pyClass(py?.kind ?? 'AnsibleError')}, original message: ${msg}`, text, true);
}

const deepCache = new WeakMap<object, boolean>();
function templated(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (v === null || typeof v !== 'object') return false;
  let t = deepCache.get(v);
  if (t === undefined) deepCache.set(v, (t = Object.values(v).some(templated)));
  return t;
}

const hasRaw = (v: unknown): boolean => (typeof v === 'string' ? v.includes('{% raw') : v !== null && typeof v === 'object' && JSON.stringify(v).includes('{% raw'));
const sameValue = (a: unknown, b: unknown): boolean => a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

const keysCache = new WeakMap<object, string[]>();
/** The names whose values are templates, of variable sets that do not change during a run (cached). */
export function templatedKeys(layer: Record<string, unknown>): string[] {
  let k = keysCache.get(layer);
  if (!k) keysCache.set(layer, (k = Object.keys(layer).filter((n) => templated(layer[n]))));
  return k;
}

/**
 * Variables whose values are templates (`talos_iso: "talos-{{ talos_version }}.iso"`) are
 * rendered with the other variables, as Ansible does when they are used; a value referring to
 * another templated value takes a further pass. Only `candidates` are looked at (names whose
 * value in some layer is a template), and only while `vars` still holds a template for them:
 * facts and registered results (data, not templates) win over those layers and are never
 * rendered. A value that cannot be rendered yet (an undefined name) stays as written; using
 * it then fails where it is used.
 */
export function resolveVars(vars: Record<string, unknown>, candidates: Iterable<string>, isData: (name: string) => boolean): void {
  if (Array.isArray(candidates) && candidates.length === 0) return;
  let keys = [...new Set(candidates)].filter((k) => !isData(k) && templated(vars[k]));
  // a value with a `{% raw %}` part (Ansible's `!unsafe` text) renders from what was written each
  // pass, so its literal `{{ }}` is never rendered again; it is final when a pass changes nothing
  const source = new Map<string, unknown>();
  const settled = new Set<string>();
  for (let pass = 0; pass < 5 && keys.length; pass++) {
    const next: string[] = [];
    // (one that failed may need one rendered after it in this pass, `a: "{{ b | f }}"` before `b`:
    // it is tried again in the next pass when this one rendered something)
    const failed: string[] = [];
    let progress = false;
    for (const k of keys) {
      try {
        if (pass === 0 && hasRaw(vars[k])) source.set(k, vars[k]);
        const before = vars[k];
        // (a variable: a whole-valued float stays a float)
        const v = renderData(source.has(k) ? source.get(k) : vars[k], vars);
        if (v === OMIT) continue;
        vars[k] = v;
        // (text a render kept as text, `{{ x | to_json }}`, stays text where a template outputs this variable alone)
        if (typeof v === 'string' && keptArgs.has(v)) keepVar(vars.inventory_hostname, k, v);
        progress ||= v !== before;
        if (!templated(v)) continue;
        if (source.has(k) && pass > 0 && sameValue(before, v)) settled.add(k);
        else next.push(k);
      } catch (e) {
        if (e instanceof SecretsPending) throw e;
        failed.push(k);
      }
    }
    keys = progress ? [...next, ...failed] : next;
  }
  // what is still a template names an undefined variable or itself: it reads as undefined, with its cause
  for (const k of keys.length ? keys : [...new Set(candidates)].filter((n) => !isData(n) && !settled.has(n) && typeof vars[n] === 'string' && hasTemplate(vars[n] as string))) {
    const v = vars[k];
    if (typeof v !== 'string' || !hasTemplate(v)) continue;
    let cause = 'recursive loop detected in its template';
    let fatal: Error | undefined;
    try {
      renderData(v, vars);
    } catch (e) {
      if (e instanceof SecretsPending) throw e;
      if (!new RegExp(`'${k}' is undefined`).test((e as Error).message)) cause = (e as Error).message;
      // (a `!vault` value that could not be decrypted fails in its own words, as ansible-core's AnsibleVaultError)
      fatal = e instanceof UndefinedVariable ? undefined : e instanceof VaultError ? e : unhandled(v, e as Error);
    }
    vars[k] = new Unresolved(v, `${k}: ${cause}`, fatal);
  }
}
