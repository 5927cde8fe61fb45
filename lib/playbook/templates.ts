import { posOf, problem, type Pos, type Problem } from '../source/index.js';
import { addPluginDirs, hasTemplate, templateIssues } from '../vars/index.js';
import { addLibraryDir } from '../modules/util/library-dirs.js';
import { join } from 'node:path';

/** A task's keywords whose values are bare Jinja expressions (no braces), as in Ansible; and assert's `that` (under the module's key, or its task's `args:`). */
const CONDITIONS = new Set(['when', 'changed_when', 'failed_when', 'until']);
const ASSERT = new Set(['assert', 'ansible.builtin.assert', 'ansible.legacy.assert', 'args']);

/** Whether a task's value at `key` (depth 1: a keyword; 2: a module argument) is a bare expression. */
const bareAt = (depth: number, key: string, parentKey: string | number | undefined): boolean =>
  (depth === 1 && CONDITIONS.has(key)) || (depth === 2 && key === 'that' && typeof parentKey === 'string' && ASSERT.has(parentKey));

/** Warnings found while loading (unknown filters where a template may never be reached); read by the CLI. */
export const loadWarnings: Problem[] = [];

/**
 * Parses every template in a value (a task, a play's vars, role defaults) before anything runs,
 * as ansible-core does when it first meets one: a syntax error is a problem (exit 4 with the
 * position); an unknown filter, test or lookup is a problem where the template is always
 * evaluated, and a warning where it may never be (`conditional`: behind a `when`, in vars).
 * `task`: the value is a task (its conditions are bare expressions); else data (vars, whatever its keys).
 */
export function checkTemplates(value: unknown, at: Pos, problems: Problem[], conditional: boolean, task = false): void {
  // a task that says it may fail (ignore_errors) fails when run instead, as ansible-core's does (a warning now)
  const ignored = task && value !== null && typeof value === 'object' && mayFail((value as Record<string, unknown>).ignore_errors);
  const visit = (v: unknown, parent: unknown, key: string | number | undefined, bare: boolean, depth = 0, parentKey?: string | number): void => {
    if (typeof v === 'string') {
      if (!bare && !hasTemplate(v)) return;
      // an empty condition is true (ansible-core's Conditional), nothing to parse
      if (bare && v === '') return;
      const pos = (key !== undefined ? posOf(parent, key, 'value') : undefined) ?? at;
      // a condition with {{ }} is templated first, then the text evaluated (ansible-core warns, and runs it)
      const templated = bare && hasTemplate(v);
      if (templated) loadWarnings.push(problem(pos, `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${v}`));
      const issues = templateIssues(v, bare && !templated);
      if (issues.syntax) (ignored ? loadWarnings : problems).push(problem(pos, `template error: ${issues.syntax}`, `in ${JSON.stringify(v.length > 120 ? v.slice(0, 117) + '...' : v)}`));
      const hint = pluginFailures.length ? `a Python plugin did not load: ${pluginFailures[0]}` : conditional ? 'it fails the task if this template is reached' : 'README, Templates, lists the filters, tests and lookups';
      for (const u of issues.unknown) (conditional || ignored ? loadWarnings : problems).push(problem(pos, `unknown ${u}`, hint));
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, v, i, bare, depth + 1, key));
    else if (v && typeof v === 'object' && bare && parent !== undefined) {
      // a condition that is a mapping: YAML read an unquoted `- a: b` (a `: ` inside it) as one
      const pos = (key !== undefined ? posOf(parent, key, 'value') : undefined) ?? at;
      loadWarnings.push(problem(pos, `this condition is a mapping, not an expression (YAML reads an unquoted "a: b" as one): ansible-core takes it as true when it has keys, and so does agri-play`, 'quote the condition'));
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, v, k, bare || (task && bareAt(depth + 1, k, key)), depth + 1, key);
  };
  visit(value, undefined, undefined, false);
}

/** ignore_errors: true (or yes/true text). */
export const mayFail = (v: unknown): boolean => v === true || (typeof v === 'string' && /^(yes|true)$/i.test(v));

/** A role's or the playbook's folder: its Python filter_plugins/ and test_plugins/ join the templates (a file that will not load is a warning, as ansible-core skips it). */
export function usePluginDirs(dir: string): void {
  // (and its library/ modules, as ansible-core's module loader takes them)
  addLibraryDir(join(dir, 'library'));
  for (const b of addPluginDirs(dir)) {
    pluginFailures.push(b);
    loadWarnings.push(problem({ file: dir, line: 1, col: 1 }, `skipping a Python plugin that will not load: ${b}`));
  }
}

/** The Python plugins that would not load (named where a filter or test is unknown). */
const pluginFailures: string[] = [];
