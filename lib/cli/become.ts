import { UsageError } from '../errors.js';
import type { AnsibleSettings, BecomeDefaults } from '../source/index.js';
import type { Redactor } from '../vars/index.js';
import type { CliOptions } from './args.js';
import { ask } from './prompt.js';

/**
 * The become keywords' defaults, as ansible-playbook takes them: ansible.cfg's
 * [privilege_escalation] (or ANSIBLE_BECOME, ANSIBLE_BECOME_USER, …), then -b, --become-user and
 * --become-method over it; a play's, block's or task's keyword wins over both. -K (or
 * become_ask_pass) asks the password at the terminal: a secret, never printed.
 */
export async function becomeDefaults(o: CliOptions, cfg: AnsibleSettings, redactor: Redactor): Promise<BecomeDefaults> {
  const d: BecomeDefaults = { ...cfg.become, ...(o.become ? { become: true } : {}), ...(o.becomeUser ? { user: o.becomeUser } : {}), ...(o.becomeMethod ? { method: o.becomeMethod } : {}) };
  if (d.method && d.method !== 'sudo' && d.method !== 'su') throw new UsageError(`become method '${d.method}' is not supported by agri-play (sudo or su)`);
  if (o.askBecomePass || d.askPass) {
    if (!process.stdin.isTTY) throw new UsageError('a become password is asked for (-K), but there is no terminal to ask it at (give ansible_become_password, from a vault)');
    d.password = await ask('BECOME password: ', true);
    if (d.password) redactor.register(d.password);
  }
  return d;
}
