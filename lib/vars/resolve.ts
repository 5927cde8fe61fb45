import { hasTemplate, renderValue, OMIT } from './template.js';
import { SecretsPending } from './secrets.js';

const deepCache = new WeakMap<object, boolean>();
function templated(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (v === null || typeof v !== 'object') return false;
  let t = deepCache.get(v);
  if (t === undefined) deepCache.set(v, (t = Object.values(v).some(templated)));
  return t;
}

/**
 * Variables whose values are templates (`talos_iso: "talos-{{ talos_version }}.iso"`) are
 * rendered with the other variables, as Ansible does when they are used; a value referring to
 * another templated value takes a further pass. Values from `skip` (facts, registered results:
 * data, not templates) are never rendered. A value that cannot be rendered yet (an undefined
 * name) stays as written; using it then fails where it is used.
 */
export function resolveVars(vars: Record<string, unknown>, skip: Record<string, unknown>): void {
  let keys = Object.keys(vars).filter((k) => !(k in skip) && templated(vars[k]));
  for (let pass = 0; pass < 5 && keys.length; pass++) {
    const next: string[] = [];
    for (const k of keys) {
      try {
        const v = renderValue(vars[k], vars);
        if (v === OMIT) continue;
        vars[k] = v;
        if (templated(v)) next.push(k);
      } catch (e) {
        if (e instanceof SecretsPending) throw e;
      }
    }
    keys = next;
  }
}
