import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Connection, ExecOptions } from '../connections/index.js';
import type { ModuleCtx } from '../modules/index.js';
import type { TaskNode } from '../playbook/index.js';
import { evaluate, renderText } from '../vars/index.js';
import type { RunCtx, Vars } from './context.js';

/** Controller paths a task's src is looked up in (Ansible's search path, simplified). */
function searchDirs(task: TaskNode, kind: 'files' | 'templates', playbookDir: string): string[] {
  return [task.role ? join(task.role.path, kind) : '', task.role?.path ?? '', join(task.dir, kind), join(task.dir, '..', kind), task.dir, join(playbookDir, kind), playbookDir].filter(Boolean);
}

export function moduleCtx(rc: RunCtx, host: string, task: TaskNode, vars: Vars, execDefaults: ExecOptions, playConnection?: string): ModuleCtx {
  let conn: Promise<Connection> | undefined;
  const target = (task.kw.delegateTo ? renderText(task.kw.delegateTo, vars) : host) as string;
  const c = (): Promise<Connection> => (conn ??= rc.connection(target, target === host ? vars : rc.vars.inventoryOf(target), playConnection));
  return {
    host,
    vars,
    exec: async (cmd, o = {}) => (await c()).exec(cmd, { ...execDefaults, ...o, env: { ...execDefaults.env, ...o.env }, signal: o.signal ?? rc.abort.signal }),
    files: {
      read: async (p) => (await c()).readFile(p),
      write: async (p, d, o) => (await c()).writeFile(p, d, o),
      stat: async (p) => (await c()).stat(p),
      mkdir: async (p, m) => (await c()).mkdir(p, m),
      chmod: async (p, m) => (await c()).chmod(p, m),
    },
    local: {
      find: (p, kind) => (isAbsolute(p) ? (existsSync(p) ? p : undefined) : searchDirs(task, kind, rc.opts.playbookDir).map((d) => join(d, p)).find((f) => existsSync(f))),
      read: (p) => readFile(p),
    },
    render: (s) => renderText(s, vars),
    evaluate: (e) => evaluate(e, vars),
    signal: rc.abort.signal,
    now: rc.opts.now ?? (() => Date.now() / 1000),
  };
}
