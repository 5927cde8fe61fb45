/**
 * ansible.cfg `jinja2_native` (ANSIBLE_JINJA2_NATIVE): a templated value becomes the Python value its
 * text spells (ansible-core's ansible_native_concat), and set_fact keeps 'yes'/'no' text as text.
 * One setting for the process, set by the CLI before a playbook loads.
 */
export const jinja2 = {
  native: false,
  /** While a native value renders: None prints as 'None' (ansible-core's native environment has no finalize). */
  printNone: false,
};

/** Jinja's delimiter options as ansible-core names them (template module, `#jinja2:` header, template lookup) → nunjucks' tag names. */
export const JINJA_TAG_KEYS: Record<string, string> = { block_start_string: 'blockStart', block_end_string: 'blockEnd', variable_start_string: 'variableStart', variable_end_string: 'variableEnd', comment_start_string: 'commentStart', comment_end_string: 'commentEnd' };

/** The delimiters among `options` that are set, by nunjucks' tag name. */
export const jinjaTags = (options: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(JINJA_TAG_KEYS).filter(([k]) => options[k] !== undefined && options[k] !== null).map(([k, tag]) => [tag, String(options[k])]));
