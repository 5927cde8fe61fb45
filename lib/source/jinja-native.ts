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
