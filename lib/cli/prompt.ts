import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Playbook, VarPrompt } from '../playbook/index.js';
import { unsafeText, yes } from '../source/index.js';
import { str } from '../source/python.js';
import { renderValue, type Redactor } from '../vars/index.js';

/** Asks one question on the terminal; a private answer is not echoed. */
export function ask(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    muted = hidden;
  });
}

/** One vars_prompt entry answered as ansible-core's do_var_prompt: asked (twice with confirm) at a terminal; otherwise, or when left empty, its default. */
async function answer(p: VarPrompt, tty: boolean, hidden: boolean): Promise<{ text: string; typed?: string }> {
  const question = !p.prompt ? `input for ${p.name}: ` : p.default !== undefined && p.default !== null ? `${p.prompt} [${str(p.default)}]: ` : `${p.prompt}: `;
  let value: string | undefined;
  while (tty) {
    value = await ask(question, hidden);
    if (!yes(p.confirm ?? false)) break;
    if ((await ask(`confirm ${question}`, hidden)) === value) break;
    process.stderr.write('***** VALUES ENTERED DO NOT MATCH ****\n');
  }
  const got: unknown = value ? value : (p.default ?? null);
  // ansible-core makes the answer text (to_text: a default of 5 is '5', none is 'None')
  let text = str(got);
  // encrypt: the answer's crypt hash, as ansible-core's passlib/crypt gives it (the password_hash filter)
  if (p.encrypt) text = String(renderValue(`{{ v | password_hash(scheme${p.salt === undefined ? '' : ', salt'}) }}`, { v: text, scheme: p.encrypt === 'sha256_crypt' ? 'sha256' : 'sha512', salt: p.salt }));
  return { text: yes(p.unsafe ?? false) ? unsafeText(text) : text, typed: value || undefined };
}

/**
 * A play's vars_prompt, before the run: each variable -e does not give is asked for at a terminal
 * (ansible-core without one, as in CI, takes the default, or None); the answer is a play variable.
 * A private answer typed in is a secret: it is never printed (a default is the playbook's own text).
 */
export async function askVarsPrompts(playbook: Playbook, extraVars: Record<string, unknown>, redactor: Redactor, tty: boolean, warn: (msg: string) => void): Promise<void> {
  for (const play of playbook.plays) {
    for (const p of play.varsPrompt ?? []) {
      if (p.name in extraVars) continue;
      if (!tty) warn(`not prompting for '${p.name}' as we are not in interactive mode (ansible-core's warning)`);
      const hidden = yes(p.private ?? true);
      const { text, typed } = await answer(p, tty, hidden);
      if (typed && hidden) redactor.register(typed);
      play.vars = { ...play.vars, [p.name]: text };
    }
  }
}
