import { Type } from '../source/vendor/typebox.js';
import { UnreachableError } from '../connections/types.js';
import { defineModule } from './types.js';
import { answering, callOrFail, machineConfig, nodeMode, readBundle, retrying } from './util/talos.js';

const Args = Type.Object(
  {
    secrets_dir: Type.String({ description: 'Where talos_secrets keeps the bundle.' }),
    role: Type.Union([Type.Literal('controlplane'), Type.Literal('worker')]),
    cluster_name: Type.String(),
    endpoint: Type.String({ pattern: '^https://', description: 'Kubernetes API endpoint, https://IP:6443.' }),
    node_ip: Type.Optional(Type.String()),
    install_disk: Type.Optional(Type.String()),
    install_image: Type.Optional(Type.String()),
    kubernetes_version: Type.Optional(Type.String()),
    pod_subnets: Type.Optional(Type.Array(Type.String())),
    service_subnets: Type.Optional(Type.Array(Type.String())),
    ntp_servers: Type.Optional(Type.Array(Type.String())),
    cni: Type.Optional(Type.String()),
    extra_manifests: Type.Optional(Type.Array(Type.String())),
    rotate_server_certificates: Type.Optional(Type.Boolean()),
    kube_proxy: Type.Optional(Type.Boolean()),
    patches: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Config patches, merged like talosctl (maps merge, lists append).' })),
    wait: Type.Optional(Type.Number({ description: 'Seconds to wait for the node to come back after a first apply (default 300).' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

const render = (a: A) => machineConfig(readBundle(a.secrets_dir), a);

export default defineModule({
  name: 'talos_config',
  kind: 'state',
  description: "A Talos node's machine config, applied only when it differs (dry-run compare); a node in maintenance mode gets it over the insecure API, then installs and reboots.",
  args: Args,
  async check(ctx, a) {
    const t = await ctx.talos();
    // a node just powered on may not answer yet (still booting): wait for it, except in check mode
    // (where its VM may not exist) and except for a refused certificate (which waiting won't fix)
    const deadline = ctx.vars.ansible_check_mode === true ? 0 : Date.now() + (a.wait ?? 300) * 1000;
    const booting = (e: unknown) => e instanceof UnreachableError && !/certificate|handshake|ssl|tls/i.test(e.message);
    const mode = await retrying(() => nodeMode(t.secure, t.insecure), deadline, ctx.signal, booting);
    const target = `talos ${t.endpoint}`;
    if (mode === 'maintenance') return { kind: 'create', target, fields: [{ path: 'mode', from: 'maintenance', to: `configured ${a.role}` }] };
    const dry = await (await t.secure()).call<{ messages: { mode_details: string }[] }>('ApplyConfiguration', { data: Buffer.from(render(a)), mode: 'AUTO', dry_run: true });
    const details = dry.messages[0]?.mode_details ?? '';
    if (/No changes\./.test(details)) return { kind: 'ok', why: `${target}: machine config is up to date` };
    return { kind: 'modify', target, fields: [{ path: 'machine config', to: 'changed (secrets not shown)' }] };
  },
  async apply(ctx, a, diff) {
    const t = await ctx.talos();
    const data = Buffer.from(render(a));
    // a node in maintenance mode takes its first config over the insecure API, installs and
    // reboots into mutual TLS: wait until it answers with our certificate
    const r = await callOrFail<{ messages: { mode: string }[] }>(t, 'ApplyConfiguration', { data, mode: 'AUTO' }, diff.kind === 'create' ? 'insecure' : 'secure');
    if (diff.kind === 'create') await answering(t, a.wait ?? 300, ctx.signal);
    return { mode: r.messages[0]?.mode };
  },
});
