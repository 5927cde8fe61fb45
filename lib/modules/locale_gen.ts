import { Type } from '../source/vendor/typebox.js';
import { pyRegex } from '../source/pyregex.js';
import { defineModule, ModuleFailure, type ModuleCtx } from './types.js';
import { writeInPlace } from './util/content.js';
import { readlines } from './util/edit.js';

const Args = Type.Object(
  {
    name: Type.String({ description: "A locale with its encoding, as /etc/locale.gen names it ('de_CH.UTF-8', 'pt_BR')." }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'Whether the locale is generated; default present.' })),
  },
  { additionalProperties: false },
);

const LOCALE_GEN = '/etc/locale.gen';
/** Ubuntu's own way: locale-gen keeps the locales it made in this folder's `local` file. */
const SUPPORTED_D = '/var/lib/locales/supported.d/';
const UBUNTU_LOCAL = '/var/lib/locales/supported.d/local';

/** The module's LOCALE_NORMALIZATION: `locale -a` writes an encoding in either case. */
const NORMAL: [string, string][] = Object.entries({ '.utf8': '.UTF-8', '.eucjp': '.EUC-JP', '.iso885915': '.ISO-8859-15', '.cp1251': '.CP1251', '.koi8r': '.KOI8-R', '.armscii8': '.ARMSCII-8', '.euckr': '.EUC-KR', '.gbk': '.GBK', '.gb18030': '.GB18030', '.euctw': '.EUC-TW' });
const fixCase = (name: string): string => NORMAL.reduce((s, [from, to]) => s.replaceAll(from, to), name);

/** A text file's lines with their line ends, as Python's iteration over a file gives them. */
const linesOf = (b: Buffer | null): string[] => readlines(b?.toString('utf8') ?? '');

/** is_available: the locale is a line of /etc/locale.gen (commented out or not), or of Ubuntu's SUPPORTED list. */
async function available(ctx: ModuleCtx, name: string, ubuntu: boolean): Promise<boolean> {
  const re = ubuntu ? /^(\S+_\S+) (\S+)\s*$/ : /^#?\s*(\S+_\S+) (\S+)\s*$/;
  const lines = linesOf(await ctx.files.read(ubuntu ? '/usr/share/i18n/SUPPORTED' : LOCALE_GEN));
  return lines.some((l) => re.exec(l)?.[1] === name);
}

/** set_locale: each line's `#{0,1}\s*NAME CHARSET` made `NAME CHARSET` (or `# NAME CHARSET`): the name is a regex there, as in the module. */
function setLocale(lines: string[], name: string, enabled: boolean): string {
  const re = pyRegex(`#{0,1}\\s*${name} (?P<charset>.+)`, { global: true });
  return lines.map((l) => l.replace(re, (...m) => `${enabled ? '' : '# '}${name} ${(m.at(-1) as { charset: string }).charset}`)).join('');
}

/** A locale-gen run that failed: the module's EnvironmentError, its text and exitValue. */
const genFailed = (rc: number) => new ModuleFailure(`[Errno ${rc}] locale.gen failed to execute, it returned ${rc}`, { exitValue: rc });

/**
 * community.general.locale_gen (6.6.2's, ported): a locale generated or removed. Debian's way —
 * its line in /etc/locale.gen uncommented (or commented out), then `locale-gen` — or Ubuntu's,
 * where /var/lib/locales/supported.d/ is: `locale-gen NAME`, or its line dropped from that folder's
 * `local` and `locale-gen --purge`. Whether it is there is `locale -a`'s answer, the encoding in
 * either case. A locale neither file offers fails, as the module's is_available. The files are
 * rewritten in place, as the module's open(…, 'w'): their inode, owner and mode kept.
 */
export default defineModule({
  name: 'locale_gen',
  kind: 'state',
  description: "A locale generated on the host, or removed (community.general's locale_gen).",
  args: Args,
  async check(ctx, a) {
    const state = a.state ?? 'present';
    const ubuntu = (await ctx.files.stat(SUPPORTED_D))?.type === 'directory';
    if (!ubuntu && !(await ctx.files.stat(LOCALE_GEN))) throw new ModuleFailure('/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?');
    if (!(await available(ctx, a.name, ubuntu))) throw new ModuleFailure("The locale you've entered is not available on your system.");
    const listed = (await ctx.exec(['locale', '-a'], { signal: ctx.signal })).stdout.split(/\r\n|[\n\r]/);
    const was = listed.some((l) => fixCase(l) === fixCase(a.name)) ? 'present' : 'absent';
    // (its result: name and msg but in check mode, where it exits with `changed` alone)
    const data = ctx.checkMode ? {} : { name: a.name, msg: 'OK' };
    if (was === state) return { kind: 'ok', why: `the locale ${a.name} is ${state}`, data };
    // (which way apply goes is kept off the result: under --check the module gives `changed` alone)
    return { kind: 'modify', target: `locale ${a.name}`, fields: [{ path: 'state', from: was, to: state }], data, keep: ubuntu };
  },
  async apply(ctx, a, diff) {
    const present = (a.state ?? 'present') === 'present';
    const ubuntu = diff.keep as boolean;
    let argv = ['locale-gen'];
    if (!ubuntu) {
      const text = setLocale(linesOf(await ctx.files.read(LOCALE_GEN)), a.name, present);
      await writeInPlace(ctx, LOCALE_GEN, Buffer.from(text));
    } else if (present) argv = ['locale-gen', a.name];
    else {
      const keep = linesOf(await ctx.files.read(UBUNTU_LOCAL)).filter((l) => l.split(' ')[0] !== a.name);
      await writeInPlace(ctx, UBUNTU_LOCAL, Buffer.from(keep.join('')));
      argv = ['locale-gen', '--purge'];
    }
    const r = await ctx.exec(argv, { signal: ctx.signal });
    if (r.rc !== 0) throw genFailed(r.rc);
  },
});
