// ansible_local: the host's local facts (ansible-core's module_utils/facts/system/local.py). Each
// `*.fact` file in fact_path (/etc/ansible/facts.d) is one fact named after it: an executable one
// is run and its output read, any other read; the text is JSON, else INI (sections of keys), else
// an error message in its place. The setup script prints them (LOCAL_FACTS, in its one round trip).
import { pyJsonLoads } from '../../source/pyjson-loads.js';

/** Lines of the facts script: `localfact=NAME KIND [RC] BASE64`, KIND out (the text), fail (a script's exit and stderr) or nostat. */
export const LOCAL_FACTS = `[ -d "$fp" ] && (LC_ALL=C; for fn in "$fp"/*.fact; do
  [ -e "$fn" ] || [ -L "$fn" ] || continue; b=\${fn##*/}; b=\${b%.fact}
  if ! [ -e "$fn" ]; then echo "localfact=$b nostat $(printf '%s' "[Errno 2] No such file or directory: '$fn'" | base64 -w0)"
  elif [ -x "$fn" ]; then e=$(mktemp); o=$("$fn" 2>"$e"); rc=$?
    if [ $rc = 0 ]; then echo "localfact=$b out $(printf '%s' "$o" | base64 -w0)"; else echo "localfact=$b fail $rc $(base64 -w0 < "$e")"; fi; rm -f "$e"
  else echo "localfact=$b out $(base64 -w0 < "$fn" 2>/dev/null)"; fi
done)`;

/** The ansible_local facts from the script's `localfact` lines (`fp` the folder, for the messages). */
export function localFacts(lines: string[], fp: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of lines) {
    const [name, kind, ...rest] = line.split(' ');
    const fn = `${fp}/${name}.fact`;
    const text = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
    if (kind === 'nostat') out[name] = `Could not stat fact (${fn}): ${text(rest[0])}`;
    else if (kind === 'fail') out[name] = `Failure executing fact script (${fn}), rc: ${rest[0]}, err: ${text(rest[1])}`;
    else out[name] = factOf(text(rest[0]), fn);
  }
  return out;
}

function factOf(text: string, fn: string): unknown {
  try {
    return pyJsonLoads(text);
  } catch {
    return ini(text) ?? `error loading facts as JSON or ini - please check content: ${fn}`;
  }
}

/** Python's ConfigParser as the plugin reads a fact: sections of `key = value` / `key: value` (keys lowercased); undefined where it would raise. */
function ini(text: string): Record<string, Record<string, string>> | undefined {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let last: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || /^\s*[#;]/.test(raw)) continue;
    // a continuation line (indented) adds to the value before it
    if (/^\s/.test(raw) && section && last !== undefined) {
      section[last] += `\n${raw.trim()}`;
      continue;
    }
    const head = /^\[([^\]]+)\]\s*$/.exec(raw);
    if (head) {
      if (Object.hasOwn(out, head[1])) return undefined; // DuplicateSectionError
      section = out[head[1]] = {};
      last = undefined;
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    // a key before any section (MissingSectionHeaderError), or a line that is no key = value (ParsingError)
    if (!section || !m) return undefined;
    last = m[1].trim().toLowerCase();
    section[last] = m[2].trim();
  }
  return out;
}
