import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
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

async function render(ctx: ModuleCtx, src: string, dest: string): Promise<Buffer> {
  const found = ctx.local.find(src, 'templates');
  if (!found) throw new ControllerFailure(`could not find template '${src}' (looked in templates/ of the role and playbook)`);
  const st = statSync(found);
  // the variables ansible-core's template action adds (its default ansible_managed string)
  const extra = {
    ansible_managed: typeof ctx.vars.ansible_managed === 'string' ? ctx.vars.ansible_managed : 'Ansible managed',
    template_host: hostname(),
    template_path: src,
    template_fullpath: resolve(found),
    template_destpath: dest,
    template_uid: uidName(st.uid),
    template_run_date: new Date(),
  };
  return Buffer.from(ctx.render((await ctx.local.read(found)).toString('utf8'), extra));
}

function uidName(uid: number): string {
  try {
    return userInfo().uid === uid ? userInfo().username : String(uid);
  } catch {
    return String(uid);
  }
}

export default defineModule({
  name: 'template',
  kind: 'state',
  description: 'Renders a Jinja template with the host variables and puts it on the host, atomically.',
  args: Args,
  async check(ctx, a) {
    return checkContent(ctx, a.dest, await render(ctx, a.src, a.dest), a, a.force ?? true);
  },
  async apply(ctx, a, diff) {
    return applyContent(ctx, a.dest, await render(ctx, a.src, a.dest), a, diff);
  },
});
