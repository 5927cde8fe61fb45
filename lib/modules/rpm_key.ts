import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { downloadCmd, requireTools, SBIN_PATH } from './util/host-tools.js';

const Args = Type.Object(
  {
    key: Type.String({ description: 'A key id (8+ hex digits), a key file on the host, or a URL the host downloads it from.' }),
    state: Type.Optional(Type.Union([Type.Literal('absent'), Type.Literal('present')])),
    fingerprint: Type.Optional(Type.String({ description: "The key's fingerprint, checked before it is imported." })),
    validate_certs: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const GPG = 'gpg --no-tty --batch --with-colons --fixed-list-mode';

async function sh(ctx: ModuleCtx, script: string) {
  return ctx.exec({ shell: `${SBIN_PATH}; ${script}` }, { signal: ctx.signal });
}

/** execute_command: a non-zero exit fails with the command's stderr. */
async function must(ctx: ModuleCtx, script: string): Promise<string> {
  const r = await sh(ctx, script);
  if (r.rc !== 0) throw new ModuleFailure(r.stderr);
  return r.stdout;
}

/** getkeyid / getfingerprint: field 5 of gpg's pub line, field 10 of its fpr line. */
async function keyField(ctx: ModuleCtx, file: string, fpr: boolean): Promise<string> {
  const out = await must(ctx, `${GPG}${fpr ? ' --with-fingerprint' : ''} ${shq(file)}`);
  const line = out.split('\n').map((l) => l.trim()).find((l) => l.startsWith(fpr ? 'fpr:' : 'pub:'));
  if (!line) throw new ModuleFailure('Unexpected gpg output');
  return line.split(':')[fpr ? 9 : 4];
}

/** is_key_imported: the ids of rpm's gpg-pubkey packages (their descriptions are the keys), by gpg. */
async function imported(ctx: ModuleCtx, keyid: string): Promise<boolean> {
  if ((await sh(ctx, 'rpm -q gpg-pubkey >/dev/null 2>&1')).rc !== 0) return false;
  const out = await must(ctx, `rpm -q gpg-pubkey --qf "%{description}" | ${GPG} -`);
  return out.split('\n').some((l) => (l.split(':')[4] ?? '').includes(keyid));
}

/** ansible.builtin.rpm_key (ansible-core 2.14): a GPG key in rpm's database, by its id. */
export default defineModule({
  name: 'rpm_key',
  kind: 'state',
  description: "A GPG key imported into (or erased from) rpm's database, compared by key id as ansible.builtin.rpm_key does; the key from a file on the host or a URL the host downloads.",
  args: Args,
  async check(ctx, a) {
    await requireTools(ctx, [['rpm'], ['gpg', 'gpg2']]);
    let file: string | undefined;
    let temp = false;
    let keyid: string;
    if (a.key.includes('://')) {
      const r = await sh(ctx, `t=$(mktemp) && { ${downloadCmd(a.key)}; } > "$t" && grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$t" && grep -q -- '-----END PGP PUBLIC KEY BLOCK-----' "$t" && echo "$t" || { rc=$?; rm -f "$t"; exit $rc; }`);
      if (r.rc !== 0) throw new ModuleFailure(r.stderr.trim() ? `failed to fetch key at ${a.key} , error was: ${r.stderr.trim()}` : `Not a public key: ${a.key}`);
      file = r.stdout.trim();
      temp = true;
      keyid = await keyField(ctx, file, false);
    } else if (/^(0x)?[0-9a-f]{8}/i.test(a.key)) keyid = a.key;
    else if ((await ctx.files.stat(a.key))?.type === 'file') {
      file = a.key;
      keyid = await keyField(ctx, file, false);
    } else throw new ModuleFailure(`Not a valid key ${a.key}`);
    keyid = keyid.trim().toUpperCase().replace(/^0X/, '');
    const there = await imported(ctx, keyid);
    const state = a.state ?? 'present';
    const done = async () => {
      if (temp && file) await sh(ctx, `rm -f ${shq(file)}`);
    };
    if (state === 'present' ? there : !there) {
      await done();
      return { kind: 'ok', why: state === 'present' ? `key ${keyid} imported` : `key ${keyid} not imported`, data: {} };
    }
    if (state === 'present') {
      if (!file) throw new ModuleFailure('When importing a key, a valid file must be given');
      if (a.fingerprint) {
        const want = a.fingerprint.replace(/ /g, '').toUpperCase();
        const has = await keyField(ctx, file, true);
        if (want !== has) throw new ModuleFailure(`The specified fingerprint, '${want}', does not match the key fingerprint '${has}'`);
      }
    }
    if (ctx.checkMode) await done();
    return { kind: state === 'present' ? 'create' : 'remove', target: `rpm key ${keyid}`, data: {}, keep: { file, temp, keyid } };
  },
  async apply(ctx, _a, diff) {
    const { file, temp, keyid } = diff.keep!;
    if (diff.kind === 'create') await must(ctx, `rpm --import ${shq(file!)}`);
    else await must(ctx, `rpm --erase --allmatches ${shq(`gpg-pubkey-${keyid.slice(-8).toLowerCase()}`)}`);
    if (temp && file) await sh(ctx, `rm -f ${shq(file)}`);
    return {};
  },
});
