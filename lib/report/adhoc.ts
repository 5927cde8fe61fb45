// An ad hoc command's output, as ansible's own: its `minimal` callback (a host per result: state,
// then the result as JSON, or a command's rc and output) and `oneline` (-o: one line per host).
import type { EventOf } from './events.js';
import type { Renderers } from './render.js';
import { diffText, paint, COLORS } from './render.js';
import { pyJson } from '../source/pyjson.js';
import { str as pyStr } from '../source/python.js';

type StepEnd = EventOf<'step_end'>;
type Result = Record<string, unknown>;

/** C.MODULE_NO_JSON: their result is shown as rc and output, not JSON. */
const NO_JSON = new Set(['command', 'win_command', 'shell', 'win_shell', 'raw']);
const noJson = (module: string): boolean => NO_JSON.has(module.replace(/^(ansible\.(builtin|legacy|windows)\.)/, ''));
const isDebug = (module: string): boolean => /^(ansible\.(builtin|legacy)\.)?debug$/.test(module);

export interface AdhocOptions {
  color: boolean;
  verbosity: number;
  diff: boolean;
  /** -o: the oneline callback. */
  oneLine: boolean;
  /** Where a result's warnings go (ansible's display.warning: stderr). */
  warn: (s: string) => void;
}

/**
 * A result as a callback gets it (TaskResult.clean_copy: no `failed` or `skipped`, which the event
 * says) and shows it (CallbackBase._dump_results: `_ansible_*` keys, and `invocation` and `diff`
 * below -vvv, and `exception` left out; JSON with its keys sorted, not ASCII-escaped; no indent, or 0,
 * is 4 from -vvv on or for debug's and assert's results, which ask to be shown so).
 */
export function dumpResult(result: Result, verbosity: number, indent: number | undefined, verboseAlways = false): string {
  const shown: Result = {};
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible_') || k === 'failed' || k === 'skipped' || k === 'exception') continue;
    if (verbosity < 3 && (k === 'invocation' || k === 'diff')) continue;
    shown[k] = v;
  }
  const spaces = !indent && (verbosity > 2 || verboseAlways) ? 4 : indent;
  return pyJson(shown, { ...(spaces === undefined ? {} : { indent: spaces }), sortKeys: true, ensureAscii: false, default: pyStr });
}

/** _clean_results (minimal's, for a result it shows ok): debug shows its msg alone, or its variable without the result's flags. */
function cleaned(e: StepEnd, result: Result): Result {
  if (!isDebug(e.module)) return result;
  if ('msg' in result) return Object.fromEntries(Object.entries(result).filter(([k]) => ['msg', 'exception', 'warnings', 'deprecations'].includes(k) || k.startsWith('_')));
  return Object.fromEntries(Object.entries(result).filter(([k]) => !['changed', 'failed', 'skipped', 'invocation', 'skip_reason'].includes(k)));
}

/** A failure's Python exception: its last line (the whole traceback from -vvv), in minimal's or oneline's words. */
function exceptionWords(result: Result, verbosity: number, oneLine: boolean): string | undefined {
  if (result.exception === undefined) return undefined;
  const text = pyStr(result.exception);
  if (verbosity < 3) return `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${text.trim().split('\n').at(-1)}`;
  return oneLine ? `An exception occurred during task execution. The full traceback is:\n${text.replaceAll('\n', '')}` : `The full traceback is:\n${text}`;
}

const text = (v: unknown): string => (v === undefined ? '' : pyStr(v));

/** The result of a command module: `host | STATE | rc=N >>` and its output (minimal), or one line (oneline). */
function commandText(host: string, result: Result, state: string, oneLine: boolean): string {
  const rc = result.rc ?? -1;
  // (minimal's text ends with a line break, which its display then adds none to)
  if (!oneLine) return `${host} | ${state} | rc=${text(rc)} >>\n${text(result.stdout)}${text(result.stderr)}${text(result.msg)}`;
  const flat = (v: unknown) => text(v).replaceAll('\n', '\\n').replaceAll('\r', '\\r');
  const stdout = `${host} | ${state} | rc=${text(rc)} | (stdout) ${flat(result.stdout)}`;
  return result.stderr ? `${stdout} (stderr) ${flat(result.stderr)}` : stdout;
}

/** One host's result, as minimal (or oneline) shows it. */
function stepText(e: StepEnd, o: AdhocOptions): string | undefined {
  if (e.run_once_copy) return undefined;
  const host = e.host;
  if (e.status === 'skipped') return paint(o.color, COLORS.skipped, `${host} | SKIPPED`);
  const result: Result = { ...(e.result ?? {}) };
  const always = isDebug(e.module) || /^(ansible\.(builtin|legacy)\.)?assert$/.test(e.module);
  const json = (r: Result) => (o.oneLine ? dumpResult(r, o.verbosity, 0, always).replaceAll('\n', '') : dumpResult(r, o.verbosity, 4, always));
  const command = noJson(e.module);
  if (e.status === 'unreachable') return paint(o.color, COLORS.unreachable, o.oneLine ? `${host} | UNREACHABLE!: ${text(result.msg ?? e.msg)}` : `${host} | UNREACHABLE! => ${json(result)}`);
  // (minimal shows a result's warnings on their own and not in it; oneline leaves them in)
  const warned = (r: Result): Result => {
    if (o.oneLine) return r;
    for (const w of (r.warnings as unknown[] | undefined) ?? []) o.warn(`[WARNING]: ${text(w)}`);
    const { warnings: _w, deprecations: _d, ...rest } = r;
    return rest;
  };
  if (e.status === 'failed' || e.status === 'ignored') {
    const exc = exceptionWords(result, o.verbosity, o.oneLine);
    const before = exc === undefined ? [] : o.oneLine && command && result.module_stderr === undefined ? [commandText(host, result, 'FAILED', true)] : [exc];
    const shown = warned(result);
    const body = !o.oneLine && command && result.module_stderr === undefined ? commandText(host, shown, 'FAILED', false) : `${host} | FAILED! => ${json(shown)}`;
    return [...before, paint(o.color, COLORS.failed, body)].join('\n');
  }
  const state = e.changed ? 'CHANGED' : 'SUCCESS';
  const shown = o.oneLine ? result : warned(cleaned(e, result));
  const body = command && shown.ansible_job_id === undefined ? commandText(host, shown, state, o.oneLine) : `${host} | ${state} => ${json(shown)}`;
  // (v2_on_file_diff comes before the result)
  const diff = o.diff && e.diff ? e.diff.flatMap(diffText) : [];
  return [...diff, paint(o.color, e.changed ? COLORS.changed : COLORS.ok, body)].join('\n');
}

/** The events an ad hoc command prints: each host's result, and warnings (each once, as ansible's Display says them); no plays, tasks or recap. */
export function adhocRenderers(o: AdhocOptions): Renderers {
  const none = () => undefined;
  const said = new Set<string>();
  const shown: AdhocOptions = { ...o, warn: (s) => void (said.has(s) || (said.add(s), o.warn(s))) };
  return {
    run_start: none,
    play_start: none,
    play_end: none,
    step_start: none,
    step_end: (e) => stepText(e, shown),
    retry: none,
    warning: (e) => void shown.warn(`[WARNING]: ${e.msg}`),
    handlers_saved: none,
    handlers_restored: none,
    interrupted: (e) => paint(o.color, 31, e.second ? `\n${e.signal} again: cancelling running steps` : `\n${e.signal}: finishing running steps, starting no more (again to cancel them)`),
    recap: none,
  };
}
