// ansible-core 2.14's interpreter discovery (executor/interpreter_discovery.py, `auto`): the
// platform's Python for a known distribution and version (_INTERPRETER_PYTHON_DISTRO_MAP), else
// the first of INTERPRETER_PYTHON_FALLBACK the host has. What discovered_interpreter_python holds.

import { str } from '../../source/python.js';

/** INTERPRETER_PYTHON_FALLBACK, looked for in this order (`command -v` each). */
export const PYTHON_FALLBACK = ['python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/bin/python3', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];

/** A shell script line: `py_found=PATH` for each of PYTHON_FALLBACK the host has (`command -v`, as the discovery's bootstrap looks). */
export const PY_FOUND = `o=$IFS; for c in ${PYTHON_FALLBACK.join(' ')}; do case $c in /*) [ -x "$c" ] && echo "py_found=$c" ;; *) IFS=:; for d in $PATH; do [ -x "$d/$c" ] && { echo "py_found=$d/$c"; break; }; done; IFS=$o ;; esac; done`;

/** A distribution's os family (os-release's ID, or one of its ID_LIKE), as the distribution facts name it. */
const FAMILY: Record<string, string> = { debian: 'Debian', ubuntu: 'Debian', rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', amzn: 'RedHat', alpine: 'Alpine', arch: 'Archlinux', sles: 'Suse', 'opensuse-leap': 'Suse' };

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

/** The os family of os-release's ID, else of the first of its ID_LIKE words that has one. */
export function familyOf(id: string | undefined, like: string | undefined): string | undefined {
  const near = like?.split(/\s+/).find((x) => FAMILY[x]);
  return (id ? FAMILY[id] : undefined) ?? (near ? FAMILY[near] : undefined);
}

/** What discovery reads of a host: `uname`'s platform, the fallback list's paths it has, os-release's ID, ID_LIKE and VERSION_ID. */
export interface HostPythons {
  platform: string;
  found: string[];
  distro: string;
  like?: string;
  version: string;
}

/** What discovery runs on the host: the Pythons it has, and os-release's ID, ID_LIKE and VERSION_ID. */
export const DISCOVERY_SCRIPT = `uname; ${PY_FOUND}; (. /etc/os-release 2>/dev/null; echo "os_id=$ID"; echo "os_like=$ID_LIKE"; echo "os_version=$VERSION_ID")`;

const DOC = 'https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html';

/**
 * ansible-core 2.14's discover_interpreter for `mode` (auto, auto_legacy, auto_silent,
 * auto_legacy_silent) from DISCOVERY_SCRIPT's output: the interpreter, and the warnings and
 * deprecations its result carries (none in a `_silent` mode).
 */
export function discoverInterpreter(stdout: string, mode: string, host: string): Discovery {
  const lines = stdout.split('\n');
  const field = (k: string): string => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1).trim() ?? '';
  const found = lines.filter((l) => l.startsWith('py_found=/')).map((l) => l.slice('py_found='.length));
  return discoverFrom({ platform: (lines[0] ?? '').trim().toLowerCase(), found, distro: field('os_id').toLowerCase(), like: field('os_like'), version: field('os_version') }, mode, host);
}

export interface Discovery {
  python: string;
  warnings: string[];
  deprecations: { msg: string; version: string }[];
}

/** discover_interpreter's choice and words from what it read of the host (the facts script reads the same, and takes `auto_silent`'s choice). */
export function discoverFrom({ platform, found, distro, like, version }: HostPythons, mode: string, host: string): Discovery {
  const silent = mode.endsWith('_silent');
  const warnings: string[] = [];
  const deprecations: { msg: string; version: string }[] = [];
  const say = (w: string): void => void (silent ? undefined : warnings.push(w));
  if (!found.length) {
    say(`No python interpreters found for host ${host} (tried ${str(PYTHON_FALLBACK)})`);
    return { python: '/usr/bin/python', warnings, deprecations };
  }
  const family = familyOf(distro, like)?.toLowerCase();
  const map = DISTRO_MAP[distro] ?? (family ? DISTRO_MAP[family] : undefined);
  if (platform !== 'linux' || !distro || !version || !map) {
    say(`Platform ${platform || 'unknown'} on host ${host} is using the discovered Python interpreter at ${found[0]}, but future installation of another Python interpreter could change the meaning of that path. See ${DOC} for more information.`);
    return { python: found[0], warnings, deprecations };
  }
  const platformPython = fuzzy(version, map);
  if (mode.startsWith('auto_legacy') && platformPython !== '/usr/bin/python' && found.includes('/usr/bin/python')) {
    if (!silent) deprecations.push({ msg: `Distribution ${distro} ${version} on host ${host} should use ${platformPython}, but is using /usr/bin/python for backward compatibility with prior Ansible releases. A future Ansible release will default to using the discovered platform python for this host. See ${DOC} for more information`, version: '2.12' });
    return { python: '/usr/bin/python', warnings, deprecations };
  }
  if (!found.includes(platformPython)) {
    if (!PYTHON_FALLBACK.includes(platformPython)) say(`Platform interpreter ${platformPython} on host ${host} is missing from bootstrap list`);
    say(`Distribution ${distro} ${version} on host ${host} should use ${platformPython}, but is using ${found[0]}, since the discovered platform python interpreter was not present. See ${DOC} for more information.`);
    return { python: found[0], warnings, deprecations };
  }
  return { python: platformPython, warnings, deprecations };
}
