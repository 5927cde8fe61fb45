import { splitOutside } from '../../source/index.js';

type Test = (labels: Record<string, string>) => boolean;

/** Terms: commas inside `in (a,b)` parentheses do not separate. */
const terms = (s: string) => splitOutside(s, ',', '(', ')');

function term(t: string): Test {
  let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(t);
  if (m) {
    const [, k, op, list] = m;
    const set = new Set(list.split(',').map((x) => x.trim()));
    return op === 'in' ? (l) => k in l && set.has(l[k]) : (l) => !(k in l) || !set.has(l[k]);
  }
  if (t.startsWith('!')) return (l) => !(t.slice(1) in l);
  m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(t);
  if (m) {
    const [, k, op, v] = m;
    return op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v;
  }
  return (l) => t in l;
}

/** Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function labelSelector(s: string | null): Test {
  if (!s) return () => true;
  const tests = terms(s).map(term);
  return (l) => tests.every((f) => f(l));
}

/** Field selectors the clients here use: metadata.name and metadata.namespace (= and !=). */
export function fieldSelector(s: string | null): (o: object) => boolean {
  if (!s) return () => true;
  const tests = terms(s).map((t) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) return () => true;
    const [, path, op, v] = m;
    const get = (o: object) => String(path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o) ?? '');
    return op === '!=' ? (o: object) => get(o) !== v : (o: object) => get(o) === v;
  });
  return (o) => tests.every((f) => f(o));
}
