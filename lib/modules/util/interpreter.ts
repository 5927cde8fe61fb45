// ansible-core 2.14's interpreter discovery (executor/interpreter_discovery.py, `auto`): the
// platform's Python for a known distribution and version (_INTERPRETER_PYTHON_DISTRO_MAP), else
// the first of INTERPRETER_PYTHON_FALLBACK the host has. What discovered_interpreter_python holds.

/** INTERPRETER_PYTHON_FALLBACK, looked for in this order (`command -v` each). */
export const PYTHON_FALLBACK = ['python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/bin/python3', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];

const DISTRO_MAP: Record<string, Record<string, string>> = {
  redhat: { '6': '/usr/bin/python', '8': '/usr/libexec/platform-python', '9': '/usr/bin/python3' },
  debian: { '8': '/usr/bin/python', '10': '/usr/bin/python3' },
  fedora: { '23': '/usr/bin/python3' },
  ubuntu: { '14': '/usr/bin/python', '16': '/usr/bin/python3' },
};

/** distutils' LooseVersion parts: numbers as numbers, letters as text. */
const loose = (v: string): (number | string)[] => (v.match(/\d+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));

function compare(a: string, b: string): number {
  const [x, y] = [loose(a), loose(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (typeof x[i] === typeof y[i]) return x[i] < y[i] ? -1 : 1;
    return typeof x[i] === 'number' ? -1 : 1;
  }
  return x.length - y.length;
}

/** _version_fuzzy_match: the exact version, else the nearest one below it, else the oldest. */
function fuzzy(version: string, map: Record<string, string>): string {
  if (map[version]) return map[version];
  const keys = Object.keys(map).sort(compare);
  const pos = keys.filter((k) => compare(k, version) <= 0).length;
  return map[keys[pos === 0 ? 0 : pos - 1]];
}

/**
 * The interpreter `auto` discovery picks: `found` are the fallback list's paths the host has,
 * `distro`/`family` os-release's ID and its family (lower case), `version` its VERSION_ID.
 */
export function discoverPython(found: string[], distro: string, family: string | undefined, version: string): string {
  if (!found.length) return '/usr/bin/python';
  const map = DISTRO_MAP[distro] ?? (family ? DISTRO_MAP[family] : undefined);
  if (!map || !version) return found[0];
  const platform = fuzzy(version, map);
  return found.includes(platform) ? platform : found[0];
}
