import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';
import type { JsonSchema } from './validate.js';

const loaded = new Map<string, JsonSchema>();

/** A JSON Schema from schemas/NAME.schema.json, read once. */
export function schema(name: string): JsonSchema {
  let s = loaded.get(name);
  if (!s) {
    s = JSON.parse(readFileSync(join(packageRoot, 'schemas', `${name}.schema.json`), 'utf8')) as JsonSchema;
    loaded.set(name, s);
  }
  return s;
}
