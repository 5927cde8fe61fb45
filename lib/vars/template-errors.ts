// The errors a template raises, as ansible-core tells them apart: an undefined value, an error while
// it was evaluated (an AnsibleError, or a Python exception none wraps), a syntax error.
import type { PyError } from '../source/python.js';

/** A template referred to a variable that is not defined (Ansible: an error, not empty). */
export class UndefinedVariable extends Error {
  /** The message as Jinja's UndefinedError words it, without the template. */
  readonly bare: string;
  constructor(
    readonly names: string[],
    readonly source: string,
    /** Why a value in it was missing when no name is undefined (Jinja's "list object has no element 0"). */
    reason?: string,
  ) {
    const named = names.length ? `'${names[0].split('\u0000')[0]}' is undefined${names[0].includes('\u0000') ? ` (${names[0].split('\u0000')[1]})` : ''}` : undefined;
    super(named ?? (reason ? `${source.trim()}: ${reason}` : `a value in '${source.trim()}' is undefined`));
    this.bare = named ?? reason ?? this.message;
    this.name = 'UndefinedVariable';
  }
}

/** A template failed while it was evaluated (a Python error, a failed lookup); `bare`: an Ansible filter's
 *  own error (AnsibleFilterError), its words alone, as ansible-core's templating passes an AnsibleError on. */
export class TemplateError extends Error {
  /** The error without the template it was in. */
  readonly reason: string;
  constructor(
    message: string,
    readonly source: string,
    readonly bare = false,
    /** A Python exception that is no AnsibleError (ZeroDivisionError, ValueError): its class and words, which each place reports its own way. */
    readonly py?: { kind: string; msg: string },
  ) {
    super(bare ? message : `${message} in '${source.trim().slice(0, 200)}'`);
    this.name = 'TemplateError';
    this.reason = message;
  }
}

/** The template had a syntax error. */
export class TemplateSyntax extends Error {
  constructor(
    message: string,
    /** The template that could not be parsed, when it is known. */
    readonly source?: string,
  ) {
    super(message);
    this.name = 'TemplateSyntax';
  }
}

export const pyOf = (e: PyError) => ({ kind: e.kind, msg: e.message.slice(e.kind.length + 2) });

/** A Python exception's class with its module, as a traceback's last line names it (`json.decoder.JSONDecodeError`; a builtin bare). */
export function pyQualname(kind: string): string {
  const where = kind.startsWith('Ansible') ? 'ansible.errors.' : kind === 'JSONDecodeError' ? 'json.decoder.' : kind.startsWith('Template') || kind === 'FilterArgumentError' ? 'jinja2.exceptions.' : '';
  return where + kind;
}

/** A Python exception's class as `type(e)` shows it: `<class 'ZeroDivisionError'>`, `<class 'ansible.errors.AnsibleFilterError'>`. */
export const pyClass = (kind: string): string => `<class '${pyQualname(kind)}'>`;

/** A Python exception no AnsibleError wraps (ZeroDivisionError, ValueError): what callers of the template see raw. */
export const rawPython = (e: unknown): { kind: string; msg: string } | undefined => (e instanceof TemplateError && e.py && !e.py.kind.startsWith('Ansible') ? e.py : undefined);
