/**
 * Text the render under way made as ansible-core's NativeJinjaText (a string filter's: to_json,
 * to_nice_json, to_yaml, to_nice_yaml; a template lookup's with convert_data=False): a task argument
 * whose whole output is one such text keeps it as text, even when it reads as a list, dict or bool
 * (ansible_eval_concat returns a lone NativeJinjaText node as it is). A JavaScript string carries no
 * type, so the text itself is remembered until the next argument's render.
 */
export const keptText = new Set<string>();

/** How many output expressions (`{{ }}`) the render under way has printed: a lone one's kept text stays text. */
export const outputs = { count: 0 };

/**
 * A render with its own count of output expressions starts (a variable's render inside another's
 * keeps the outer count): the outer count, for keptAlone to give back. (Two calls, no closure: every
 * task argument with a template and text around it renders through here.)
 */
export function countOutputs(): number {
  const outer = outputs.count;
  outputs.count = 0;
  if (keptText.size) keptText.clear();
  return outer;
}

/** The render countOutputs started has ended with `out`: whether it is one kept text alone (the outer count is back). */
export function keptAlone(outer: number, out: string): boolean {
  const alone = outputs.count === 1 && keptText.has(out);
  outputs.count = outer;
  return alone;
}

/** A string filter's output, remembered as kept text. */
export function kept(text: string): string {
  // (a template file's render may call a filter many times and is no argument: what it leaves is bounded)
  if (keptText.size >= 1024) keptText.clear();
  keptText.add(text);
  return text;
}

/** The arguments' renders under way: the values a render kept as text (`{{ x | to_json }}`), for set_fact to mark its variables. */
export const keptArgs = new Set<string>();

/**
 * Variables whose value is kept text, by host and name (a task's vars, set_fact's: ansible-core keeps
 * them as NativeJinjaText), with that value: a template that outputs one alone keeps it as text too.
 */
const keptVars = new Map<string, Map<string, string>>();

/** A run starts: no variable holds kept text (a process may make several runs, tests; the next playbook of `agri-play A B` forgets what A's set_fact kept). */
export function forgetKeptVars(): void {
  keptVars.clear();
}

/** A variable of `host` now holds kept text. */
export function keepVar(host: unknown, name: string, value: string): void {
  let m = keptVars.get(String(host));
  if (!m) keptVars.set(String(host), (m = new Map()));
  m.set(name, value);
}

/** A template read variable `name` (of the host whose variables `vars` are) and got `value`: remembered as kept text if the variable holds it. */
export function readVar(vars: Record<string, unknown>, name: string, value: string): boolean {
  if (!keptVars.size || keptVars.get(String(vars.inventory_hostname))?.get(name) !== value) return false;
  keptText.add(value);
  return true;
}
