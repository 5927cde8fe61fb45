import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { parseKeyValues } from '../source/splitter.js';
import { mergeInto, parseYaml, problem, readYaml, withFloats } from '../source/index.js';

/** -e key=value, -e @file.yaml, -e '{"json": true}' — later ones win, as in Ansible (ansible-core's load_extra_vars). */
export function parseExtraVars(specs: string[], cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.startsWith('@')) {
      const parsed = readYaml(resolve(cwd, spec.slice(1)));
      if (parsed.problems.length) throw new InputError(parsed.problems);
      if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) throw new InputError([problem({ file: spec.slice(1), line: 1, col: 1 }, 'an extra-vars file must be a mapping of variables')]);
      mergeInto(out, withFloats(parsed.value));
    } else if (/^\s*[{[]/.test(spec)) {
      const parsed = parseYaml(spec, '-e');
      if (parsed.problems.length || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) throw new UsageError(`-e ${spec}: not a JSON/YAML mapping`);
      mergeInto(out, withFloats(parsed.value));
    } else {
      let parsed: ReturnType<typeof parseKeyValues>;
      try {
        parsed = parseKeyValues(spec);
      } catch (e) {
        throw new UsageError(`-e ${spec}: ${(e as Error).message}`);
      }
      const { kv, rest } = parsed;
      // a path: ansible-core's error; other words without `=` (`-e 'x: 1'`) are its parse_kv's _raw_params, as it sets them
      if (rest && /^[/.]/.test(spec)) throw new UsageError(`-e ${spec}: please prepend the extra-vars file name with '@'`);
      mergeInto(out, rest ? { ...kv, _raw_params: rest } : kv);
    }
  }
  return out;
}
