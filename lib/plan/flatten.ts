import type { BlockNode, Keywords, Node, Play, TaskNode } from '../playbook/index.js';
import type { FlatTask, Frame } from './types.js';

export interface TagFilter {
  tags: string[];
  skipTags: string[];
}

/**
 * Ansible's tag rules (Taggable.evaluate_tags): `always` runs unless skipped by name (or with `all`
 * skipped), `never` only when asked for by a tag of its own, `tagged` runs the tagged but not `never`;
 * an untagged task is tagged `untagged`.
 */
export function selectedByTags(tags: string[], f: TagFilter): boolean {
  const set = new Set(tags.length ? tags : ['untagged']);
  const untagged = set.size === 1 && set.has('untagged');
  const only = f.tags.length ? f.tags : ['all'];
  let run = set.has('always') || (only.includes('all') && !set.has('never')) || only.some((t) => set.has(t)) || (only.includes('tagged') && !untagged && !set.has('never'));
  const skip = f.skipTags;
  if (run && skip.length) {
    if (skip.includes('all')) run = set.has('always') && !skip.includes('always');
    else if (skip.some((t) => set.has(t)) || (skip.includes('tagged') && !untagged)) run = false;
  }
  return run;
}

const isFlush = (t: TaskNode): boolean => t.module === 'meta' && t.args.action === 'flush_handlers';

/**
 * Whether the tags keep a task (tags: its own and those it inherits): the flushes the load put after
 * each section whatever the tags; a `meta: flush_handlers` of the play's is a task as any, as in
 * ansible-core's filter_tagged_tasks.
 */
const kept = (n: TaskNode, tags: string[], filter: TagFilter): boolean => (isFlush(n) && n.args.implicit === true) || selectedByTags(tags, filter);

/** Whether the tags keep any task of these (blocks included). (A walk that stops at the first: an include's blocks are flattened for every host.) */
function anySelected(nodes: Node[], inherited: string[], filter: TagFilter): boolean {
  return nodes.some((n) => {
    const tags = [...new Set([...inherited, ...n.kw.tags])];
    return n.kind === 'block' ? anySelected(n.block, tags, filter) || anySelected(n.rescue, tags, filter) || anySelected(n.always, tags, filter) : kept(n, tags, filter);
  });
}

/**
 * A block as the tags leave it (ansible-core's filter_tagged_tasks): a rescue or always section
 * none of whose tasks runs is none, so a failure in the block is not rescued (nor held by that
 * always section); the block as it is when neither is emptied.
 */
function tagged(n: BlockNode, tags: string[], filter: TagFilter): BlockNode {
  const rescue = n.rescue.length && !anySelected(n.rescue, tags, filter) ? [] : n.rescue;
  const always = n.always.length && !anySelected(n.always, tags, filter) ? [] : n.always;
  return rescue === n.rescue && always === n.always ? n : { ...n, rescue, always };
}

/** Tasks (blocks included) as the list a host walks, under `chain` (the blocks around them). */
export function flattenTasks(nodes: Node[], chain: Frame[], inherited: string[], filter: TagFilter, play: Partial<Keywords> = {}, out: FlatTask[] = []): FlatTask[] {
  for (const n of nodes) {
    const tags = [...new Set([...inherited, ...n.kw.tags])];
    if (n.kind === 'block') {
      const b = tagged(n, tags, filter);
      for (const section of ['block', 'rescue', 'always'] as const) flattenTasks(b[section], [...chain, { block: b, section }], tags, filter, play, out);
      continue;
    }
    if (!kept(n, tags, filter)) continue;
    // (a flush takes no keywords: its handlers take theirs, expandFlushes)
    out.push({ task: isFlush(n) ? n : inherit(n, chain, play), chain, tags, handler: false });
  }
  return out;
}

/** The keywords a task takes from the innermost block (or role entry, or include's `apply`) around it that sets them, when it does not. */
const INHERITED = ['become', 'becomeUser', 'becomeMethod', 'becomeFlags', 'remoteUser', 'connection', 'checkMode', 'diff', 'noLog', 'ignoreErrors', 'ignoreUnreachable', 'delegateTo', 'delegateFacts', 'runOnce', 'timeout', 'throttle', 'anyErrorsFatal'] as const;

const OMITTED = /^\s*\{\{\s*omit\s*\}\}\s*$/;

/** A task with the keywords of its blocks (ansible-core's inheritance); the task itself when none apply. */
function inherit(t: TaskNode, chain: Frame[], play: Partial<Keywords>): TaskNode {
  let kw: Keywords | undefined;
  for (const k of INHERITED) {
    // (`become: '{{ omit }}'` is not set: the block's or play's value, as ansible-core's post_validate resets an omitted field)
    if (t.kw[k] !== undefined && !(typeof t.kw[k] === 'string' && OMITTED.test(t.kw[k] as string))) continue;
    let v: unknown;
    for (let i = chain.length - 1; i >= 0 && v === undefined; i--) v = chain[i].block.kw[k];
    // then the play's own (the play's become, ignore_errors, check_mode and environment are read where used)
    v ??= play[k];
    if (v !== undefined || t.kw[k] !== undefined) (kw ??= { ...t.kw })[k] = v as never;
  }
  // environment adds up, outermost first (ansible-core's list of environments: the task's wins)
  const envs = [...chain.map((f) => f.block.kw.environment), t.kw.environment].filter((e) => e !== undefined);
  if (envs.length > 1 || (envs.length === 1 && t.kw.environment === undefined)) (kw ??= { ...t.kw }).environments = envs;
  return kw ? { ...t, kw } : t;
}

/** Flattens a play's tasks (blocks included) into the list every host walks, then its handlers. */
export function flattenPlay(play: Play, filter: TagFilter): FlatTask[] {
  const out = flattenTasks(play.tasks, [], play.tags, filter, play.kw);
  // (each section ends with the flush the load put there)
  let part = 0;
  for (const f of out) {
    f.part = part;
    if (isFlush(f.task) && f.task.args.implicit === true) part++;
  }
  // the flush after post_tasks (the load put the one after the tasks)
  out.push({ task: endFlush(play), chain: [], tags: ['always'], handler: false });
  const flat = expandFlushes(out, play.handlers, play.kw);
  for (let i = flat.length - 1; i >= 0 && flat[i].handler && (i === flat.length - 1 || !flat[i].flushEnd); i--) flat[i] = { ...flat[i], lastFlush: true };
  return flat;
}

function endFlush(play: Play): TaskNode {
  return { kind: 'task', id: `${play.pos.file}:${play.pos.line}#end${play.index}`, name: 'meta: flush_handlers', module: 'meta', args: { action: 'flush_handlers', implicit: true }, kw: { when: [], notify: [], listen: [], tags: ['always'], vars: {} }, pos: play.pos, dir: '' };
}

/** Each flush point becomes the handler steps themselves (they run only when notified); also for the tasks an include brings when reached. */
export function expandFlushes(flat: FlatTask[], handlers: TaskNode[], play: Partial<Keywords> = {}): FlatTask[] {
  const out: FlatTask[] = [];
  const names = [...new Set(handlers.flatMap((h) => [h.name, ...h.kw.listen]))];
  const frames = new Map(handlers.map((h) => [h, [...(h.role ? [roleFrame(h)] : []), ...(h.handlerBlocks ?? []).map((block): Frame => ({ block, section: 'block' }))]]));
  const withKw = new Map(handlers.map((h) => [h, inherit(h, frames.get(h)!, play)]));
  for (const f of flat) {
    if (!isFlush(f.task)) {
      out.push(f);
      continue;
    }
    if (f.task.args.implicit !== true) out.push(f);
    // a role's handler sees its role's defaults and vars, wherever the flush is
    // (it takes the keywords of its role's entry and the play's, not of the blocks around the flush);
    // its variables are the play's (with the play's roles'), its own blocks' and role's, not those around the flush
    for (const [i, h] of handlers.entries()) {
      const own = frames.get(h)!;
      out.push({ task: withKw.get(h)!, chain: own.length ? [...f.chain, ...own] : f.chain, varsChain: own, tags: ['always'], handler: true, part: f.part, ...(i === handlers.length - 1 ? { flushEnd: names } : {}) });
    }
  }
  return out;
}

function roleFrame(h: TaskNode): Frame {
  return { block: { kind: 'block', id: `${h.id}#role`, name: h.name, block: [], rescue: [], always: [], kw: { ...h.role?.entry, when: [], notify: [], listen: [], tags: [], vars: {} }, pos: h.pos, role: h.role }, section: 'block' };
}
