import type { Counts, DiffOut, Event, EventName, EventOf } from './events.js';
import { pyJson } from '../source/pyjson.js';
import { str as pyStr } from '../source/python.js';

export type Renderers = { [K in EventName]: (e: EventOf<K>) => string | undefined };

export interface TextOptions {
  color: boolean;
  verbosity: number;
  diff: boolean;
  /** show_custom_stats: set_stats' statistics after the recap. */
  customStats?: boolean;
}

export const COLORS = { ok: 32, changed: 33, failed: 31, unreachable: 31, skipped: 36, rescued: 35, ignored: 36 } as const;

export function paint(on: boolean, code: number, s: string): string {
  return on ? `\x1b[${code}m${s}\x1b[0m` : s;
}

/** A unified diff of two texts (small files; line-based LCS). */
export function unifiedDiff(before: string, after: string, name = 'file'): string {
  const lines = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const a = lines(before);
  const b = lines(after);
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return `--- before: ${name}\n+++ after: ${name}\n(too large to show)`;
  const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [`--- before: ${name}`, `+++ after: ${name}`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(` ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || dp[i + 1][j] >= dp[i][j + 1])) out.push(`-${a[i++]}`);
    else out.push(`+${b[j++]}`);
  }
  return out.join('\n');
}

export function diffText(d: DiffOut): string[] {
  const lines: string[] = [];
  if (d.before !== undefined && d.after !== undefined) lines.push(unifiedDiff(d.before, d.after, d.target));
  for (const f of d.fields ?? []) if (f.path !== 'content') lines.push(`  ${d.target ? d.target + ' ' : ''}${f.path}: ${JSON.stringify(f.from ?? null)} → ${JSON.stringify(f.to ?? null)}`);
  return lines;
}

/** The PLAY RECAP, its hosts sorted by name as ansible-core's default callback sorts them. */
export function recapTable(hosts: Record<string, Counts>, color = false): string {
  const names = Object.keys(hosts).sort();
  const w = Math.max(4, ...names.map((n) => n.length));
  const rows = names.map((h) => {
    const c = hosts[h];
    const col = c.failed || c.unreachable ? COLORS.failed : c.changed ? COLORS.changed : COLORS.ok;
    return `${paint(color, col, h.padEnd(w))} : ok=${c.ok}  changed=${c.changed}  unreachable=${c.unreachable}  failed=${c.failed}  skipped=${c.skipped}  rescued=${c.rescued}  ignored=${c.ignored}`;
  });
  return ['', 'PLAY RECAP ' + '*'.repeat(60), ...rows].join('\n');
}

/**
 * set_stats' statistics as ansible-core's default callback shows them (show_custom_stats): each
 * host's, then the run's, as one line of JSON (indent 1 with its line breaks taken out, keys sorted).
 */
function customStatsText(stats: Record<string, Record<string, unknown>>): string {
  const json = (v: unknown) => pyJson(v, { indent: 1, sortKeys: true, ensureAscii: false }).replaceAll('\n', '');
  const hosts = Object.keys(stats).filter((h) => h !== '_run').sort();
  const run = stats._run ? ['', `\tRUN: ${json(stats._run)}`] : [];
  // (Display.banner without a terminal: 79 columns, 'CUSTOM STATS:' then its stars)
  return ['', '', `CUSTOM STATS: ${'*'.repeat(79 - 'CUSTOM STATS:'.length)}`, ...hosts.map((h) => `\t${h}: ${json(stats[h])}`), ...run].join('\n');
}

/** Human-readable lines for the console (TTY gets colours; the journal gets JSON). */
export function textRenderers(o: TextOptions): Renderers {
  return {
    run_start: (e) => `agri-play ${e.check ? 'CHECK (nothing will change)' : 'run'}: ${e.playbook} · ${e.hosts} host(s), ${e.steps} step(s), forks ${e.forks}`,
    play_start: (e) => {
      const head = `PLAY [${e.play}]${e.lane !== undefined ? ` lane ${e.lane || '(none)'}` : ''}`;
      return `\n${head} ${'*'.repeat(Math.max(3, 67 - head.length))}${e.hosts.length ? '' : '\n  skipping: no hosts matched'}`;
    },
    play_end: () => undefined,
    step_start: (e) => (o.verbosity >= 2 ? `  … [${e.host}] ${e.task}` : undefined),
    step_end: (e) => {
      // run_once: ansible-core shows the host that ran it, once
      if (e.run_once_copy) return undefined;
      const label = e.status === 'changed' && e.note ? 'would change' : e.status;
      const head = paint(o.color, COLORS[e.status], `${label}: [${e.host}]`);
      const item = e.item ? ` (item=${e.item})` : '';
      let line = `${head} ${e.task}${item}`;
      if (e.note) line += ` — ${e.note}`;
      if (e.status === 'failed' || e.status === 'unreachable' || e.status === 'rescued' || e.status === 'ignored') line += `: ${e.msg ?? ''}  (${e.at})`;
      else if (e.msg && (e.module === 'debug' || o.verbosity >= 1)) line += ` => ${e.msg}`;
      // debug's var= form: the variable and its value (at -vv the whole result follows anyway)
      else if (e.module === 'debug' && e.msg === undefined && e.result && o.verbosity < 2) line += ` => ${pyJson(Object.fromEntries(Object.entries(e.result).filter(([k]) => k !== 'changed' && k !== 'failed')), { separators: [',', ':'], ensureAscii: false, default: pyStr })}`;
      if (o.verbosity >= 1 && e.why) line += `  [${e.why}]`;
      const extra: string[] = [];
      if (e.diff && (o.diff || o.verbosity >= 1)) for (const d of e.diff) extra.push(...diffText(d));
      else if (e.diff && e.status === 'changed') for (const d of e.diff) for (const f of d.fields ?? []) if (f.path !== 'content') extra.push(`    ${f.path}: ${JSON.stringify(f.from ?? null)} → ${JSON.stringify(f.to ?? null)}`);
      if (o.verbosity >= 2 && e.result) extra.push(JSON.stringify(e.result, null, 2));
      if (e.module === 'debug' && e.result === undefined && e.msg === undefined) return line;
      return [line, ...extra].join('\n');
    },
    retry: (e) => paint(o.color, 33, `FAILED - RETRYING: [${e.host}]: ${e.task} (${e.left} retries left)${e.msg ? `: ${e.msg}` : ''}`),
    warning: (e) => paint(o.color, 35, `[WARNING]${e.host ? ` [${e.host}]` : ''}: ${e.msg}`),
    handlers_saved: (e) => paint(o.color, 35, `[WARNING]: handlers notified but not run were saved to ${e.file}; they run first next time: ${Object.entries(e.hosts).map(([h, n]) => `${h}: ${n.join(', ')}`).join('; ')}`),
    handlers_restored: (e) => paint(o.color, 35, `[NOTE]: running handlers left pending by the last run: ${Object.entries(e.hosts).map(([h, n]) => `${h}: ${n.join(', ')}`).join('; ')}`),
    interrupted: (e) => paint(o.color, 31, e.second ? `\n${e.signal} again: cancelling running steps` : `\n${e.signal}: finishing running steps, starting no more (again to cancel them)`),
    recap: (e) => `${recapTable(e.hosts, o.color)}${o.customStats && e.custom_stats ? customStatsText(e.custom_stats) : ''}\n\n${e.check ? 'check mode: nothing was changed. ' : ''}${(e.duration_ms / 1000).toFixed(2)}s${e.journal ? ` · journal ${e.journal}` : ''}`,
  };
}

export function renderText(e: Event, r: Renderers): string | undefined {
  return (r[e.event] as (x: Event) => string | undefined)(e);
}
