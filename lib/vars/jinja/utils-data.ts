// ansible.utils' data filter to_paths, as its module_utils/common/to_paths.py flattens a value.
import { isDict, str } from '../../source/python.js';
import { splitKw } from './methods.js';

/** to_paths(var, prepend, wantlist): every leaf by its Jinja path (`a.b[0]`, `a['x-y']`); empty mappings and lists kept as leaves. */
export function toPaths(value: unknown, ...a: unknown[]): unknown {
  const [args, kw] = splitKw(a);
  const prepend = kw.prepend ?? args[0];
  const wantlist = kw.wantlist ?? args[1];
  const v = prepend ? { [str(prepend)]: value } : value;
  const flatten = (data: unknown, name: string, out: Record<string, unknown>): unknown => {
    if (isDict(data)) {
      const keys = Object.keys(data);
      if (!keys.length) return name ? ((out[name] = {}), out) : {};
      for (const k of keys) flatten(data[k], name ? (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) ? `${name}.${k}` : `${name}['${k}']`) : k, out);
    } else if (Array.isArray(data)) {
      if (!data.length) return name ? ((out[name] = []), out) : [];
      data.forEach((x, i) => flatten(x, `${name}[${i}]`, out));
    } else out[name] = data;
    return out;
  };
  const out = flatten(v, '', {});
  return wantlist ? [out] : out;
}
