// ansible-core's combine filter: dicts merged left to right (recursive, list_merge), as its merge_hash.
import { PyError, UndefinedUse, eq, isDict, pyType, truthy } from '../../source/python.js';
import { splitKw } from './methods.js';
import { updated } from '../../source/pydict.js';

export function combine(...all: unknown[]): unknown {
  const [args, kw] = splitKw(all);
  const recursive = truthy(kw.recursive ?? false);
  const listMerge = String(kw.list_merge ?? 'replace');
  if (Object.keys(kw).some((k) => k !== 'recursive' && k !== 'list_merge')) throw new PyError('AnsibleFilterError', "'recursive' and 'list_merge' are the only valid keyword arguments");
  // (flatten(terms, levels=1): its nulls left out)
  const dicts = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter((d) => d !== null && d !== 'None' && d !== 'null');
  // (every value defined, nested ones too: ansible-core's recursive_check_defined)
  const defined = (v: unknown): void => {
    if (v === undefined) throw new UndefinedUse();
    if (Array.isArray(v)) v.forEach(defined);
    else if (isDict(v)) Object.values(v).forEach(defined);
  };
  dicts.forEach(defined);
  if (dicts.length <= 1) return dicts.length ? dicts[0] : {};
  for (const d of dicts) if (!isDict(d)) throw new PyError('AnsibleFilterError', `failed to combine variables, expected dicts but got a 'dict' and a '${pyType(d)}'`);
  const mergeLists = (a: unknown[], b: unknown[]): unknown[] => {
    switch (listMerge) {
      case 'keep':
        return a;
      case 'append':
        return [...a, ...b];
      case 'prepend':
        return [...b, ...a];
      case 'append_rp':
        return [...a.filter((x) => !b.some((y) => eq(x, y))), ...b];
      case 'prepend_rp':
        return [...b, ...a.filter((x) => !b.some((y) => eq(x, y)))];
      default:
        return b;
    }
  };
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> =>
    updated(a, b, (cur, v) => (recursive && isDict(cur) && isDict(v) ? merge(cur, v) : Array.isArray(cur) && Array.isArray(v) ? mergeLists(cur, v) : v));
  return dicts.reduce((acc: Record<string, unknown>, d) => merge(acc, d as Record<string, unknown>), {});
}
