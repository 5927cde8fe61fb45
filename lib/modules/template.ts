import { Type } from '@sinclair/typebox';
import { defineModule, ControllerFailure, type ModuleCtx } from './types.js';
import { applyContent, checkContent, FileAttrs, Validate } from './util/content.js';

const Args = Type.Object(
  {
    src: Type.String({ description: 'A Jinja template on the controller (looked up in templates/).' }),
    dest: Type.String({ description: 'Where the rendered file goes on the host.' }),
    force: Type.Optional(Type.Boolean()),
    backup: Type.Optional(Type.Boolean()),
    ...FileAttrs,
    ...Validate,
  },
  { additionalProperties: false },
);

async function render(ctx: ModuleCtx, src: string): Promise<Buffer> {
  const found = ctx.local.find(src, 'templates');
  if (!found) throw new ControllerFailure(`could not find template '${src}' (looked in templates/ of the role and playbook)`);
  return Buffer.from(ctx.render((await ctx.local.read(found)).toString('utf8')));
}

export default defineModule({
  name: 'template',
  kind: 'state',
  description: 'Renders a Jinja template with the host variables and puts it on the host, atomically.',
  args: Args,
  async check(ctx, a) {
    return checkContent(ctx, a.dest, await render(ctx, a.src), a, a.force ?? true);
  },
  async apply(ctx, a, diff) {
    return applyContent(ctx, a.dest, await render(ctx, a.src), a, diff);
  },
});
