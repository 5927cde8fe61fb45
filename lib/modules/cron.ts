import { Type } from '../source/vendor/typebox.js';
import { shq } from '../connections/quote.js';
import { defineModule, ModuleFailure, type Diff, type ModuleCtx } from './types.js';
import { commandFailure } from './util/run.js';
import { CronLines, cronJob, readUserCrontab, splitLines } from './util/crontab.js';

const SPECIAL = ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] as const;
const field = (description: string) => Type.Optional(Type.String({ description }));
const Args = Type.Object(
  {
    name: Type.String({ description: 'The job\'s (or variable\'s) name: the `#Ansible: NAME` comment above it.' }),
    user: Type.Optional(Type.String({ description: 'Whose crontab (default the connecting user); the user column of a cron_file line.' })),
    job: Type.Optional(Type.String({ description: 'The command (or the variable\'s value with env: true).' })),
    cron_file: Type.Optional(Type.String({ description: 'A file under /etc/cron.d (or an absolute path) instead of a user\'s crontab.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a copy of the crontab as it was (backup_file) when it changes.' })),
    minute: field('Minute (default *).'),
    hour: field('Hour (default *).'),
    day: field('Day of the month (default *).'),
    month: field('Month (default *).'),
    weekday: field('Day of the week (default *).'),
    special_time: Type.Optional(Type.Union(SPECIAL.map((s) => Type.Literal(s)))),
    disabled: Type.Optional(Type.Boolean({ description: 'Write the job commented out.' })),
    env: Type.Optional(Type.Boolean({ description: 'Manage a variable (NAME="job") instead of a job.' })),
    insertafter: Type.Optional(Type.String({ description: 'With env: the variable to put this one after.' })),
    insertbefore: Type.Optional(Type.String({ description: 'With env: the variable to put this one before.' })),
  },
  { additionalProperties: false },
);
type A = typeof Args.static;

interface Found {
  path?: string;
  header: string;
  existing: string;
  lines: string[];
}

/** `crontab` is needed for every form, as ansible-core's get_bin_path('crontab', required=True). */
async function read(ctx: ModuleCtx, a: A): Promise<Found> {
  const u = a.user ? shq(a.user) : '';
  const who = a.user ? `if [ "$(id -un)" = ${u} ]; then u=; else u="-u ${u}"; fi; ` : 'u=; ';
  if (a.cron_file) {
    const path = a.cron_file.startsWith('/') ? a.cron_file : `/etc/cron.d/${a.cron_file}`;
    await needCrontab(ctx, '');
    const text = (await ctx.files.read(path))?.toString('utf8') ?? '';
    return { path, header: path, existing: text, lines: splitLines(text) };
  }
  const r = await needCrontab(ctx, `${who}crontab $u -l`);
  if (r.rc !== 0 && r.rc !== 1) throw new ModuleFailure('Unable to read crontab', { rc: r.rc, stderr: r.stderr });
  return { header: a.user ? `crontab for user "${a.user}"` : 'crontab', ...readUserCrontab(r.stdout) };
}

async function needCrontab(ctx: ModuleCtx, then: string) {
  const r = await ctx.exec({ shell: `command -v crontab >/dev/null 2>&1 || { printf %s "$PATH"; exit 127; }; ${then}` }, { signal: ctx.signal, keepEnds: true });
  if (r.rc === 127) throw new ModuleFailure(`Failed to find required executable "crontab" in paths: ${r.stdout}`);
  return r;
}

function validate(a: A): string[] {
  const warnings: string[] = [];
  if (a.cron_file === '/etc/crontab') throw new ModuleFailure('Will not manage /etc/crontab via cron_file, see documentation.');
  const base = a.cron_file?.split('/').pop();
  if (base !== undefined && !/^[A-Z0-9_-]+$/i.test(base)) warnings.push(`Filename portion of cron_file ("${base}") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens`);
  if (a.special_time && [a.minute, a.hour, a.day, a.month, a.weekday].some((x) => (x ?? '*') !== '*')) throw new ModuleFailure('You must specify time and date fields or special time.');
  if ((a.state ?? 'present') === 'present') {
    if (a.cron_file && !a.user) throw new ModuleFailure('To use cron_file=... parameter you must specify user=... as well');
    if (a.job === undefined) throw new ModuleFailure("You must specify 'job' to install a new cron job or variable");
    if ((a.insertafter || a.insertbefore) && !a.env) throw new ModuleFailure('Insertafter and insertbefore parameters are valid only with env=yes');
  }
  if (a.insertafter && a.insertbefore) throw new ModuleFailure('parameters are mutually exclusive: insertafter|insertbefore');
  return warnings;
}

/** The change to the lines, as cron.py's main decides it; 'drop' when a cron_file ends up empty. */
function edit(c: CronLines, a: A, cronFile: boolean, warnings: string[]): boolean | 'drop' {
  const install = (a.state ?? 'present') === 'present';
  if (a.env) {
    if (a.name.includes(' ')) throw new ModuleFailure('Invalid name for environment variable');
    const decl = `${a.name}="${a.job}"`;
    const old = c.findEnv(a.name);
    if (!install) return old.length > 0 && (c.updateEnv(a.name), true);
    if (!old.length) {
      if (!c.addEnv(decl, a.insertafter, a.insertbefore)) throw new ModuleFailure(`Variable named '${a.insertafter ?? a.insertbefore}' not found.`);
      return true;
    }
    return old[1] !== decl && (c.updateEnv(a.name, decl), true);
  }
  if (install) {
    if (/[\r\n]/.test(a.job!.replace(/^[\r\n]+|[\r\n]+$/g, ''))) warnings.push('Job should not contain line breaks');
    const job = cronJob({ minute: a.minute ?? '*', hour: a.hour ?? '*', day: a.day ?? '*', month: a.month ?? '*', weekday: a.weekday ?? '*', job: a.job!, special: a.special_time, disabled: a.disabled ?? false, user: a.user, cronFile });
    const old = c.findJob(a.name, job);
    if (!old.length) return c.addJob(a.name, job), true;
    if (old[1] !== job || old.length > 2) return c.updateJob(a.name, job), true;
    return false;
  }
  if (!c.findJob(a.name).length) return false;
  c.updateJob(a.name);
  return cronFile && c.isEmpty() ? 'drop' : true;
}

/** ansible.builtin.cron: a named job or variable in a user's crontab or a cron.d file, as ansible-core's cron module edits it. */
export default defineModule({
  name: 'cron',
  kind: 'state',
  description: "A named cron job (or variable) in a user's crontab or a file under /etc/cron.d, as ansible.builtin.cron writes it (`#Ansible: NAME` above the job).",
  args: Args,
  aliases: { value: 'job', dom: 'day', dow: 'weekday' },
  paths: ['cron_file'],
  async check(ctx, a) {
    const warnings = validate(a);
    const now = await read(ctx, a);
    const c = new CronLines([...now.lines]);
    let changed = edit(c, a, !!now.path, warnings);
    // a cron_file left without lines goes (its job was there, so the file is)
    if (changed === 'drop') return { kind: 'remove', target: now.path, before: now.existing, after: '', data: { cron_file: a.cron_file, state: a.state ?? 'present' } };
    // an unchanged crontab still gets its last line's newline
    if (!changed && now.existing !== '' && !/[\r\n]$/.test(now.existing)) changed = true;
    const data = { jobs: c.jobNames(), envs: c.envNames(), warnings, ...(a.cron_file ? { cron_file: a.cron_file } : {}) };
    if (!changed) return { kind: 'ok', why: `${a.name} is ${a.state ?? 'present'} in ${now.header}`, data };
    const after = c.render();
    const kind = now.path && now.existing === '' && !(await ctx.files.stat(now.path)) ? 'create' : 'modify';
    const d: Diff<{ path?: string; before: string }> = { kind, target: now.header, before: now.existing, after, content: Buffer.from(after), data, keep: { path: now.path, before: now.existing } };
    return d;
  },
  async apply(ctx, a, diff) {
    const data = diff.data ?? {};
    if (diff.kind === 'remove') {
      const r = await ctx.exec(['rm', '-f', diff.target!], { signal: ctx.signal });
      if (r.rc !== 0) throw commandFailure(['rm', '-f', diff.target!], r);
      return data;
    }
    const { path, before } = diff.keep!;
    let out = data;
    if (a.backup) {
      const backup_file = (await ctx.exec(['mktemp', '/tmp/crontabXXXXXXXX'], { signal: ctx.signal })).stdout.trim();
      await ctx.files.write(backup_file, Buffer.from(new CronLines(splitLines(before)).render()));
      out = { ...data, backup_file };
    }
    if (path) {
      await ctx.files.write(path, diff.content!, diff.kind === 'create' ? { mode: '0644' } : {});
      return out;
    }
    const u = a.user ? shq(a.user) : '';
    const cmd = { shell: a.user ? `if [ "$(id -un)" = ${u} ]; then crontab -; else crontab -u ${u} -; fi` : 'crontab -' };
    const r = await ctx.exec(cmd, { signal: ctx.signal, stdin: diff.content });
    if (r.rc !== 0) throw new ModuleFailure(r.stderr, { rc: r.rc });
    return out;
  },
});
