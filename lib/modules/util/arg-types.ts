import { Type } from '../../source/vendor/typebox.js';

/** Optional argument types as Ansible's argument specs write them (type='str', 'bool', 'list', choices=[…]). */
export const optStr = (description?: string) => Type.Optional(Type.String(description ? { description } : {}));
export const optBool = (description?: string) => Type.Optional(Type.Boolean(description ? { description } : {}));
/** type='list': a list, or a string that AnsibleModule splits on commas. */
export const optList = (description?: string) => Type.Optional(Type.Union([Type.Array(Type.String()), Type.String()], description ? { description } : {}));
export const optOneOf = <T extends string>(...values: T[]) => Type.Optional(Type.Union(values.map((v) => Type.Literal(v))));

/** An optList's value as AnsibleModule gives it to the module: a string split on commas, each part trimmed. */
export function asList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : v.split(',').map((s) => s.trim());
}
