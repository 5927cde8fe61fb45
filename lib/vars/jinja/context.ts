import { types } from 'node:util';
import nunjucks from '../../source/vendor/nunjucks.js';
import { misses } from '../../source/pysubscript.js';
import { copyKeys } from '../../source/pydict.js';

/**
 * nunjucks copies every variable into a new object for each render (`lib.extend({}, ctx)` in its
 * Context), so that a top-level `{% set %}` cannot reach the caller's variables. A task's variables
 * are some 40 keys and a step renders several templates: that copy was a tenth of all a run
 * allocated. The context now reads the caller's object as it is and copies it on its first
 * `{% set %}` (copy on write), with the same result. agri-play's own capture slot (`__agri_*`,
 * set by `evaluate`) lives in the template's frame only, where the template reads it.
 */
interface Ctx {
  env: { globals: Record<string, unknown> };
  ctx: Record<string, unknown>;
  blocks: Record<string, unknown[]>;
  exported: string[];
  owned?: boolean;
  /** A template that mutates (list.append): the names it has its own copies of (see `renderWith`). */
  copied?: Set<string>;
  addBlock(name: string, block: unknown): void;
}

type Proto = {
  init(this: Ctx, ctx: Record<string, unknown>, blocks: Record<string, unknown>, env: unknown): void;
  setVariable(this: Ctx, name: string, val: unknown): void;
  lookup(this: Ctx, name: string): unknown;
};

export function shareContext(env: nunjucks.Environment): void {
  const proto = contextPrototype(env);
  if (!proto || (proto as { agriShared?: boolean }).agriShared) return;
  (proto as { agriShared?: boolean }).agriShared = true;
  proto.init = function (ctx, blocks, e) {
    this.env = e as Ctx['env'];
    this.ctx = ctx;
    this.owned = false;
    this.copied = isolating.next ? new Set() : undefined;
    isolating.next = false;
    this.blocks = {};
    this.exported = [];
    for (const name of Object.keys(blocks)) this.addBlock(name, blocks[name]);
  };
  proto.setVariable = function (name, val) {
    if (name.startsWith('__agri_')) return;
    own(this);
    this.ctx[name] = val;
    this.copied?.add(name);
  };
  proto.lookup = function (name) {
    if (name in this.env.globals && !(name in this.ctx)) return this.env.globals[name];
    const v = this.ctx[name];
    if (v === undefined) {
      // ansible-core's `vars` (deprecated there, still given): every variable of the task
      if (name === 'vars') return this.ctx;
      // (the engine's own names, `__agri_v` that evaluate() reads its value from, are no user's)
      if (!name.startsWith('__agri_')) {
        misses.name = name;
        misses.latest = 'name';
      }
    }
    if (!this.copied || v === null || typeof v !== 'object' || this.copied.has(name)) return v;
    own(this);
    this.copied.add(name);
    return (this.ctx[name] = copyOf(v));
  };
}

function own(c: Ctx): void {
  if (c.owned) return;
  c.ctx = { ...c.ctx };
  c.owned = true;
}

/**
 * Python's mutating methods in a template (`l.append(x)`, `d.update(…)`, `pop`, …). ansible-core
 * gives each task fresh values: a mutation is seen by the rest of its template only, and the next
 * task sees the variable as it was. agri-play's variables are shared (a host's steps, the play's
 * hosts, the group lists), so a template that calls one of these reads its own copy of each
 * variable it names, made when first read (the other templates read them as they are).
 */
const MUTATES = /\.\s*(append|extend|insert|pop|remove|update|setdefault)\s*\(/;
const isolating = { next: false };

/** Whether each compiled template calls a mutating method (looked at once per template). */
const mutating = new WeakMap<nunjucks.Template, boolean>();

/** Renders `t` (compiled from `src`): with its own copies of the variables when it mutates them. */
export function renderWith(t: nunjucks.Template, src: string, vars: Record<string, unknown>): string {
  let m = mutating.get(t);
  if (m === undefined) mutating.set(t, (m = MUTATES.test(src)));
  isolating.next = m;
  try {
    return t.render(vars);
  } finally {
    isolating.next = false;
  }
}

/** A variable's value to mutate: lists and dicts copied through; a view (hostvars, groups) copies what is read of it. */
function copyOf(v: unknown, seen = new Map<object, unknown>()): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (types.isProxy(v)) return copyingView(v as Record<string | symbol, unknown>);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(copyOf(x, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = copyOf((v as Record<string, unknown>)[k], seen);
  return copyKeys(v, out);
}

function copyingView(view: Record<string | symbol, unknown>): unknown {
  const copies = new Map<string | symbol, unknown>();
  const read = (k: string | symbol): unknown => {
    if (!copies.has(k)) copies.set(k, copyOf(view[k]));
    return copies.get(k);
  };
  return new Proxy({}, {
    get: (_t, k) => read(k),
    has: (_t, k) => k in view,
    ownKeys: () => Reflect.ownKeys(view),
    getOwnPropertyDescriptor: (_t, k) => (Reflect.getOwnPropertyDescriptor(view, k) ? { enumerable: true, configurable: true, value: read(k) } : undefined),
  });
}

/** nunjucks does not export its Context class: a first render hands its instance to the template's root function. */
function contextPrototype(env: nunjucks.Environment): Proto | undefined {
  const t = new nunjucks.Template('', env, undefined, true) as unknown as { rootRenderFunc: (e: unknown, c: object, f: unknown, r: unknown, cb: (err: unknown, s: string) => void) => void; render(ctx: object): string };
  let proto: Proto | undefined;
  t.rootRenderFunc = (_e, c, _f, _r, cb) => {
    proto = Object.getPrototypeOf(c) as Proto;
    cb(null, '');
  };
  t.render({});
  return proto;
}
