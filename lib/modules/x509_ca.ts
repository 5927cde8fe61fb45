import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '../source/vendor/typebox.js';
import { talosPki } from '../connections/talos/index.js';
import { defineModule } from './types.js';
import { writePrivate } from './util/talos.js';

const Args = Type.Object(
  {
    dir: Type.String({ description: 'Controller folder for ca.crt and ca.key (0600).' }),
    subject: Type.Optional(Type.String({ description: 'Default CN=Cilium CA.' })),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'x509_ca',
  kind: 'state',
  description: 'A CA key pair on the controller, generated once and never replaced (the shared Cilium CA of a mesh); the key is 0600 and never shown.',
  args: Args,
  async check(ctx, a) {
    const [crt, key] = [join(a.dir, 'ca.crt'), join(a.dir, 'ca.key')];
    if (existsSync(crt) && existsSync(key)) {
      ctx.secrets?.protect(readFileSync(key, 'utf8'));
      if ((statSync(key).mode & 0o077) !== 0) return { kind: 'modify', target: key, fields: [{ path: 'mode', to: '0600' }] };
      return { kind: 'ok', why: `${crt} exists (kept: a CA is never regenerated)` };
    }
    return { kind: 'create', target: a.dir, fields: [{ path: 'ca.crt', to: a.subject ?? 'CN=Cilium CA' }, { path: 'ca.key', to: '(private key, not shown)' }] };
  },
  async apply(ctx, a) {
    const [crt, key] = [join(a.dir, 'ca.crt'), join(a.dir, 'ca.key')];
    if (!existsSync(key)) {
      const ca = await (await talosPki()).generateCa(a.subject ?? 'CN=Cilium CA');
      ctx.secrets?.protect(ca.key);
      writePrivate(crt, ca.crt);
      writePrivate(key, ca.key);
    } else chmodSync(key, 0o600);
    return { dir: a.dir };
  },
});
