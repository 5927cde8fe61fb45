import nunjucks from '../../source/vendor/nunjucks.js';

/**
 * nunjucks copies every variable into a new object for each render (`lib.extend({}, ctx)` in its
 * Context), so that a top-level `{% set %}` cannot reach the caller's variables. A task's variables
 * are some 40 keys and a step renders several templates: that copy was a tenth of all a run
 * allocated. The context now reads the caller's object as it is and copies it on its first
 * `{% set %}` (copy on write), with the same result. agri-play's own capture slot (`__agri_*`,
 * set by `evaluate`) lives in the template's frame only, where the template reads it.
 */
interface Ctx {
  env: unknown;
  ctx: Record<string, unknown>;
  blocks: Record<string, unknown[]>;
  exported: string[];
  owned?: boolean;
  addBlock(name: string, block: unknown): void;
}

type Proto = { init(this: Ctx, ctx: Record<string, unknown>, blocks: Record<string, unknown>, env: unknown): void; setVariable(this: Ctx, name: string, val: unknown): void };

export function shareContext(env: nunjucks.Environment): void {
  const proto = contextPrototype(env);
  if (!proto || (proto as { agriShared?: boolean }).agriShared) return;
  (proto as { agriShared?: boolean }).agriShared = true;
  proto.init = function (ctx, blocks, e) {
    this.env = e;
    this.ctx = ctx;
    this.owned = false;
    this.blocks = {};
    this.exported = [];
    for (const name of Object.keys(blocks)) this.addBlock(name, blocks[name]);
  };
  proto.setVariable = function (name, val) {
    if (name.startsWith('__agri_')) return;
    if (!this.owned) {
      this.ctx = { ...this.ctx };
      this.owned = true;
    }
    this.ctx[name] = val;
  };
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
