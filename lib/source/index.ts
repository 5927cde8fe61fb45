export { problem, type Pos, type Problem } from './problem.js';
export { closest, didYouMean } from './suggest.js';
export { readYaml, parseYaml, posOf, posAtPath, copyPos, MAX_YAML_BYTES } from './yaml.js';
export { validate, type JsonSchema, cacheValidators } from './validate.js';
export { schema } from './schemas.js';
export { packageRoot } from './paths.js';
export { isRecord, deepMerge, canonicalJson, eachLeaf, splitOutside, yes } from './data.js';
export { ansibleSettings, parseIni, type AnsibleSettings } from './ansible-cfg.js';
export { pyRegex, expandRepl } from './pyregex.js';
