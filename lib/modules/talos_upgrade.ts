import { Type } from '../source/vendor/typebox.js';
import { UnreachableError } from '../connections/types.js';
import { defineModule, ModuleFailure } from './types.js';
import { callOrFail, retrying } from './util/talos.js';

const Args = Type.Object(
  {
    image: Type.String({ pattern: ':v\\d+\\.\\d+\\.\\d+', description: 'Installer image with its version tag (factory.talos.dev/metal-installer/<schematic>:v1.11.5).' }),
    preserve: Type.Optional(Type.Boolean({ description: 'Keep the EPHEMERAL partition (talosctl upgrade --preserve).' })),
    wait: Type.Optional(Type.Number({ description: 'Seconds to wait for the node to come back on the new version (default 600).' })),
  },
  { additionalProperties: false },
);

const tagOf = (image: string) => /:(v\d+\.\d+\.\d+[\w.-]*)$/.exec(image)?.[1] ?? image;
type VersionReply = { messages: { version: { tag: string } }[] };

export default defineModule({
  name: 'talos_upgrade',
  kind: 'state',
  description: 'Upgrades a Talos node to the version of an installer image, only when it runs another one; waits until it is back on the new version. Run plays with `serial: 1` to upgrade one node at a time.',
  args: Args,
  async check(ctx, a) {
    const t = await ctx.talos();
    const have = (await (await t.secure()).call<VersionReply>('Version')).messages[0]?.version.tag;
    if (have === tagOf(a.image)) return { kind: 'ok', why: `talos ${t.endpoint} runs ${have}` };
    return { kind: 'modify', target: `talos ${t.endpoint}`, fields: [{ path: 'talos version', from: have, to: tagOf(a.image) }] };
  },
  async apply(ctx, a) {
    const t = await ctx.talos();
    await callOrFail(t, 'Upgrade', { image: a.image, preserve: a.preserve ?? false, stage: false, force: false });
    const want = tagOf(a.image);
    // the node reboots: wait until it answers again, on the new version
    await retrying(
      async () => {
        const tag = (await (await t.secure()).call<VersionReply>('Version')).messages[0]?.version.tag;
        if (tag !== want) throw new UnreachableError(`still on ${tag}`);
      },
      Date.now() + (a.wait ?? 600) * 1000,
      ctx.signal,
    ).catch((e: Error) => {
      throw new ModuleFailure(`${t.endpoint} did not come back on ${want} within ${a.wait ?? 600}s: ${e.message}`);
    });
  },
});
