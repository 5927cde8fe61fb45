import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure } from './types.js';
import { runOk } from './util/run.js';

const Args = Type.Object({ name: Type.String({ description: "An IANA zone ('Etc/UTC', 'Europe/Berlin')." }) }, { additionalProperties: false });

/**
 * The host's zone as community.general.timezone reads it: timedatectl where systemd runs, else
 * /etc/timezone's first word, the /etc/localtime link (or copy) overruling it when they differ.
 */
const READ = (tz: string) => `
z=${shq(tz)}
[ -f "/usr/share/zoneinfo/$z" ] || { echo missing; exit 0; }
if command -v timedatectl >/dev/null 2>&1 && timedatectl >/dev/null 2>&1; then echo "systemd|$(timedatectl show -p Timezone --value 2>/dev/null)"; exit 0; fi
v=$(grep -o -m1 '^[^[:space:]]*' /etc/timezone 2>/dev/null); [ -n "$v" ] || v=n/a
if [ "$v" = "$z" ]; then
  if [ -L /etc/localtime ]; then
    if [ -e /etc/localtime ]; then l=$(readlink /etc/localtime | sed -n 's#.*/\\(usr/share\\|etc\\)/zoneinfo/##p'); [ -z "$l" ] && v=n/a || { [ "$l" != "$z" ] && v=$l; }; else v=n/a; fi
  elif ! cmp -s /etc/localtime "/usr/share/zoneinfo/$z"; then v=n/a; fi
fi
echo "files|$v|$(command -v dpkg-reconfigure >/dev/null && echo dpkg)"`;

export default defineModule({
  name: 'timezone',
  kind: 'state',
  description: "The host's time zone, as community.general.timezone sets it: timedatectl under systemd, else /etc/timezone, the /etc/localtime link and dpkg-reconfigure tzdata.",
  args: Args,
  async check(ctx, a) {
    const out = (await runOk(ctx, { shell: READ(a.name) })).trim();
    if (out === 'missing') throw new ModuleFailure(`given timezone "${a.name}" is not available`);
    const [how, current, dpkg] = out.split('|');
    const data = { how, dpkg: dpkg === 'dpkg', diff: { before: { name: current }, after: { name: a.name } } };
    if (current === a.name) return { kind: 'ok', why: `the zone is ${a.name}`, data: { diff: { before: { name: current }, after: { name: current } } } };
    return { kind: 'modify', target: 'timezone', fields: [{ path: 'name', from: current, to: a.name }], data };
  },
  async apply(ctx, a, diff) {
    const { how, dpkg } = diff.data as { how: string; dpkg: boolean };
    const z = shq(a.name);
    if (how === 'systemd') return void (await runOk(ctx, ['timedatectl', 'set-timezone', a.name]));
    // _edit_file: the first zone line replaced (others dropped), then the link and tzdata
    const file = `f=/etc/timezone; { [ -f $f ] && awk -v z=${z} 'BEGIN { d = 0 } /^[^[:space:]]/ { if (!d) { print z; d = 1 }; next } { print } END { if (!d) print z }' $f || echo ${z}; } > $f.agri && mv $f.agri $f`;
    const link = dpkg ? `ln -sf /usr/share/zoneinfo/${z} /etc/localtime && dpkg-reconfigure --frontend noninteractive tzdata` : `cp --remove-destination /usr/share/zoneinfo/${z} /etc/localtime`;
    await runOk(ctx, { shell: `${file} && ${link}` });
    return { msg: `executed: ${dpkg ? 'dpkg-reconfigure' : 'cp'}` };
  },
});
