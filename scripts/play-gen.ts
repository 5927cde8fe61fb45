// Random playbooks for scripts/play-diff.ts: one or two plays over hosts h1–h3 (whose variables n,
// flag and word differ), tasks named by kind and number (d debug, s set_fact, c command, f fail,
// a assert, m meta, b block, h handler) so that outcomes can be matched by name. Plays have pre_tasks
// and post_tasks at times, tasks the legacy with_items / with_sequence loops, check_mode and tags.

type Task = Record<string, unknown>;

interface Gen {
  r: () => number;
  next: number;
  /** registered names and set_fact names made so far (templates refer to them, defined or not) */
  registered: string[];
  facts: string[];
  handlers: string[];
  /** handler topics (listen:) */
  topics: string[];
  /** the task files include_tasks tasks name (written beside the playbook) */
  files: Record<string, Task[]>;
}

const pick = <T>(g: Gen, xs: readonly T[]): T => xs[Math.floor(g.r() * xs.length)];
const chance = (g: Gen, p: number): boolean => g.r() < p;

function reg(g: Gen): string {
  return g.registered.length ? pick(g, g.registered) : 'r0';
}
function fact(g: Gen): string {
  return g.facts.length ? pick(g, g.facts) : 'v0';
}

/** A condition (a `when`, `failed_when`, `changed_when`, `until`, assert's `that`). */
function condition(g: Gen, inLoop: boolean): string {
  const r = reg(g);
  const all = [
    'n > 1', 'n == 2', 'flag', 'not flag', "word == 'beta'", 'n is odd',
    `${r} is defined`, `${r} is changed`, `${r} is failed`, `${r} is skipped`, `${r} is succeeded`, `${r}.rc | default(0) == 0`, `${r}.results | default([]) | length > 1`,
    `${fact(g)} is defined`, `${fact(g)} | default(0) | int > 2`,
    'ansible_play_hosts | length > 2', "inventory_hostname == 'h2'", 'ansible_play_batch | length == 1', "'h1' in ansible_play_hosts",
    `hostvars['h1'].${fact(g)} is defined`, 'true', 'false',
  ];
  if (inLoop) all.push('item > 1', 'item == n', 'item is even', 'ansible_loop_var == "item"');
  return pick(g, all);
}

/** A value a debug shows or a set_fact sets (always as text in a debug: `v=…`). */
function expression(g: Gen, inLoop: boolean): string {
  const r = reg(g);
  const all = [
    'n * 2', 'word | upper', `${r}.changed | default('u')`, `${r}.rc | default('u')`, `${r}.msg | default('u')`, `${r}.skipped | default(false)`, `${r}.failed | default(false)`,
    `${r}.results | default([]) | map(attribute='changed', default='x') | list`, `${r}.results | default([]) | length`, `${r}.stdout | default('u')`,
    `${fact(g)} | default('u')`, 'ansible_play_hosts', 'ansible_play_batch', `hostvars['h1'].${fact(g)} | default('u')`, `hostvars['h3']['${r}'] | default({}) | length`,
    'lst | sum', 'groups.all', 'n + m', 'inventory_hostname',
    "ansible_failed_task.name | default('u')", "ansible_failed_result.msg | default('u')",
  ];
  if (inLoop) all.push('item', 'item * n', 'ansible_loop_var', "idx | default('u')", "ansible_loop.index | default('u')", "ansible_loop.last | default('u')");
  return pick(g, all);
}

function name(g: Gen, kind: string): string {
  return `${kind}${g.next++}`;
}

/** Tags (play-diff's --tags=t1 / --skip-tags=t2 pick among them; `always` and `never` are Ansible's own). */
function tags(g: Gen): string[] {
  return pick(g, [['t1'], ['t2'], ['always'], ['never'], ['t1', 't2'], ['never', 't1']]);
}

/** The keywords a task may have besides its module (when, loop, register, …). */
function keywords(g: Gen, t: Task, mayChange: boolean): Task {
  const inLoop = chance(g, 0.2);
  // (the legacy with_ loops too: with_items flattens one level, with_sequence gives text items)
  const loop = inLoop ? pick(g, [[1, 2, 3], '{{ lst }}', [], [2], { with_items: [1, [2, 3]] }, { with_sequence: 'start=1 end=3' }]) : undefined;
  if (loop !== undefined) Object.assign(t, Array.isArray(loop) || typeof loop === 'string' ? { loop } : loop);
  if (inLoop && chance(g, 0.3)) t.loop_control = pick(g, [{ index_var: 'idx' }, { extended: true }, { label: '{{ item }}' }]);
  if (chance(g, 0.04)) t.throttle = 1;
  if (chance(g, 0.04)) t.delegate_to = pick(g, ['h1', 'h3']);
  if (chance(g, 0.06)) t.vars = { v0: '{{ n + 1 }}' };
  if (chance(g, 0.3)) t.when = condition(g, inLoop);
  if (chance(g, 0.1)) t.failed_when = condition(g, inLoop);
  if (chance(g, 0.1)) t.changed_when = condition(g, inLoop);
  if (chance(g, 0.12)) t.ignore_errors = true;
  if (chance(g, 0.05)) t.run_once = true;
  if (chance(g, 0.04)) t.check_mode = pick(g, [true, false]);
  if (chance(g, 0.12)) t.tags = tags(g);
  if (chance(g, 0.04)) t.any_errors_fatal = true;
  if (chance(g, 0.05)) {
    t.until = condition(g, inLoop);
    t.retries = 2;
    t.delay = 0;
  }
  if ((mayChange || t.changed_when) && g.handlers.length && chance(g, 0.25)) t.notify = pick(g, [...g.handlers, ...g.topics]);
  if (chance(g, 0.35)) {
    const r = `r${g.next - 1}`;
    t.register = r;
    g.registered.push(r);
  }
  return t;
}

/** One task, or (depth allowing) a block of them. */
function task(g: Gen, depth: number): Task {
  const k = g.r();
  if (k < 0.12 && depth < 2) return block(g, depth + 1);
  if (k > 0.96 && depth < 2) return include(g, depth + 1, chance(g, 0.3));
  if (k < 0.32) return keywords(g, { name: name(g, 'd'), debug: { msg: `v={{ ${expression(g, false)} }}` } }, false);
  if (k < 0.44) {
    const f = `v${g.next}`;
    const t = keywords(g, { name: name(g, 's'), set_fact: { [f]: `{{ ${expression(g, false)} }}` } }, false);
    g.facts.push(f);
    return t;
  }
  if (k < 0.62) return keywords(g, { name: name(g, 'c'), command: pick(g, ['true', 'false', 'echo {{ word }}']) }, true);
  if (k < 0.7) return keywords(g, { name: name(g, 'f'), fail: { msg: `m={{ n }}` } }, false);
  if (k < 0.82) return keywords(g, { name: name(g, 'a'), assert: { that: [condition(g, false)] } }, false);
  if (k < 0.9) {
    const t: Task = { name: name(g, 'm'), meta: pick(g, ['flush_handlers', 'end_host', 'clear_host_errors', 'noop', 'end_batch', 'end_play', 'clear_facts']) };
    if (chance(g, 0.6)) t.when = condition(g, false);
    return t;
  }
  return keywords(g, { name: name(g, 'c'), shell: pick(g, ['exit {{ n % 2 }}', 'test {{ n }} -gt 1']) }, true);
}

function tasks(g: Gen, depth: number, n: number): Task[] {
  return Array.from({ length: n }, () => task(g, depth));
}

/** An include_tasks (or an import_tasks) of a file of its own (its tasks generated as any others), maybe looped (an include) or conditional. */
function include(g: Gen, depth: number, imported = false): Task {
  const file = `inc${g.next}.yaml`;
  // (an import has no name of its own in either tool's results: it is its tasks)
  const t: Task = imported ? { import_tasks: file } : { name: name(g, 'i'), include_tasks: file };
  if (imported) g.next++;
  g.files[file] = tasks(g, depth, 1 + Math.floor(g.r() * 3));
  if (!imported && chance(g, 0.3)) t.loop = pick(g, [[1, 2], []]);
  if (chance(g, 0.3)) t.when = condition(g, false);
  if (chance(g, 0.1)) t.tags = tags(g);
  return t;
}

function block(g: Gen, depth: number): Task {
  const b: Task = { name: name(g, 'b'), block: tasks(g, depth, 1 + Math.floor(g.r() * 3)) };
  if (chance(g, 0.5)) b.rescue = tasks(g, depth, 1 + Math.floor(g.r() * 2));
  if (chance(g, 0.4)) b.always = tasks(g, depth, 1 + Math.floor(g.r() * 2));
  if (chance(g, 0.2)) b.when = condition(g, false);
  if (chance(g, 0.1)) b.ignore_errors = true;
  if (chance(g, 0.05)) b.any_errors_fatal = true;
  if (chance(g, 0.15)) b.vars = { v0: '{{ n * 3 }}' };
  if (chance(g, 0.1)) b.tags = tags(g);
  return b;
}

function play(g: Gen): Task {
  g.handlers = Array.from({ length: 1 + Math.floor(g.r() * 2) }, (_, i) => `h${g.next + i}`);
  g.topics = chance(g, 0.3) ? [`topic${g.next}`] : [];
  const handlers: Task[] = g.handlers.map((h) => (chance(g, 0.7) ? { name: h, debug: { msg: `v={{ inventory_hostname }} ${h}` } } : { name: h, command: pick(g, ['true', 'false']) }));
  // (agri-play refuses at load a notify that names no handler or topic: every topic has a listener)
  for (const [i, h] of handlers.entries()) if (g.topics.length && (i === 0 || chance(g, 0.5))) h.listen = g.topics[0];
  for (const h of handlers) if (chance(g, 0.1)) h.tags = tags(g);
  if (handlers.length > 1 && chance(g, 0.2)) handlers[0].notify = handlers[1].name;
  g.next += g.handlers.length;
  const p: Task = { hosts: 'all', gather_facts: false, vars: { lst: [1, 2, 3], m: 5 } };
  if (chance(g, 0.1)) p.serial = pick(g, [2, 2, [1, 2], '34%']);
  if (chance(g, 0.08)) p.order = pick(g, ['reverse_inventory', 'sorted', 'reverse_sorted']);
  if (chance(g, 0.15)) p.strategy = 'free';
  if (chance(g, 0.1)) p.any_errors_fatal = true;
  if (chance(g, 0.1)) p.max_fail_percentage = 40;
  if (chance(g, 0.1)) p.force_handlers = true;
  if (chance(g, 0.05)) p.ignore_errors = true;
  // (pre_tasks and post_tasks: each section's handlers flush at its end)
  if (chance(g, 0.15)) p.pre_tasks = tasks(g, 0, 1 + Math.floor(g.r() * 3));
  p.tasks = tasks(g, 0, 3 + Math.floor(g.r() * 8));
  if (chance(g, 0.15)) p.post_tasks = tasks(g, 0, 1 + Math.floor(g.r() * 2));
  p.handlers = handlers;
  return p;
}

/** A playbook of one or two plays, and the files its include_tasks tasks name. */
export function playbookOf(r: () => number): { plays: Task[]; files: Record<string, Task[]> } {
  const g: Gen = { r, next: 1, registered: [], facts: [], handlers: [], topics: [], files: {} };
  const plays = Array.from({ length: chance(g, 0.3) ? 2 : 1 }, () => play(g));
  return { plays, files: g.files };
}
