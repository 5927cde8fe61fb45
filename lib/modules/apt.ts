import { Type } from '../source/vendor/typebox.js';
import { defineModule } from './types.js';
import { aptApply, aptCheck } from './util/apt.js';

const Bool = (description?: string) => Type.Optional(Type.Boolean(description ? { description } : {}));
const Args = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Packages: `name`, `name=version` (a glob) or `name>=version`.' })),
    state: Type.Optional(Type.Union(['absent', 'build-dep', 'latest', 'present', 'fixed', 'installed', 'removed'].map((s) => Type.Literal(s)))),
    update_cache: Bool('apt-get update first (when the cache is older than cache_valid_time).'),
    update_cache_retries: Type.Optional(Type.Integer()),
    update_cache_retry_max_delay: Type.Optional(Type.Integer()),
    cache_valid_time: Type.Optional(Type.Integer({ description: 'Seconds the cache counts as fresh (default 0).' })),
    purge: Bool(),
    default_release: Type.Optional(Type.String()),
    install_recommends: Bool('Unset: apt\'s own default.'),
    force: Bool(),
    upgrade: Type.Optional(Type.Union([Type.Boolean(), ...['no', 'yes', 'safe', 'full', 'dist'].map((s) => Type.Literal(s))])),
    dpkg_options: Type.Optional(Type.String({ description: "Default 'force-confdef,force-confold'." })),
    deb: Type.Optional(Type.String({ description: 'A .deb file on the host.' })),
    autoremove: Bool(),
    autoclean: Bool(),
    policy_rc_d: Type.Optional(Type.Integer()),
    only_upgrade: Bool(),
    fail_on_autoremove: Bool(),
    force_apt_get: Bool(),
    lock_timeout: Type.Optional(Type.Integer()),
    allow_unauthenticated: Bool(),
    allow_downgrade: Bool(),
    allow_change_held_packages: Bool(),
    clean: Bool(),
  },
  { additionalProperties: false },
);

export default defineModule({
  name: 'apt',
  kind: 'state',
  description: "Debian packages as Ansible's apt module manages them: installed, latest, removed, the cache refreshed when older than cache_valid_time, upgrades and cleanups.",
  args: Args,
  aliases: {
    package: 'name',
    pkg: 'name',
    'update-cache': 'update_cache',
    'default-release': 'default_release',
    'install-recommends': 'install_recommends',
    'allow-unauthenticated': 'allow_unauthenticated',
    'allow-downgrade': 'allow_downgrade',
    allow_downgrades: 'allow_downgrade',
    'allow-downgrades': 'allow_downgrade',
    'allow-change-held-packages': 'allow_change_held_packages',
  },
  check: (ctx, a) => aptCheck(ctx, a),
  apply: (ctx, a, diff) => aptApply(ctx, a, diff),
});
