import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { parseKeyValues } from '../source/splitter.js';
import { mergeInto, parseYaml, problem, readYaml, withFloats } from '../source/index.js';

/** -e key=value, -e @file.yaml, -e '{"json": true}' — later ones win, as in Ansible. */
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
      if (rest) throw new UsageError(`-e ${spec}: expected key=value, @file or a JSON object`);
      mergeInto(out, kv);
    }
  }
  return out;
}
