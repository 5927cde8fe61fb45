import { shq } from './quote.js';
import type { Connection } from './types.js';

/**
 * Whether sudo asks the login user's password to become a user, looked at once per connection and
 * user (`sudo -n true`): a become password goes to sudo on its stdin only where it asks, else the
 * password would be the command's own input.
 */
export class SudoAsks {
  private readonly asks = new Map<string, Promise<boolean>>();

  constructor(private readonly exec: Connection['exec']) {}

  for(user: string | undefined): Promise<boolean> {
    const key = user ?? '';
    let p = this.asks.get(key);
    if (!p) this.asks.set(key, (p = this.exec(['true'], { become: { user } }).then((r) => r.rc !== 0)));
    return p;
  }
}

/**
 * become_method su, as ansible-core's su plugin runs a command: `su USER -c 'COMMAND'` (the user's
 * login shell runs it). su reads a password only from a terminal, which a run has not: as root it
 * asks none; a become password with su is refused (`SU_PASSWORD`) rather than left for su to fail on.
 */
export const suLine = (user: string | undefined, line: string, flags: string[] = []): string => `su ${flagWords(flags)}${shq(user || 'root')} -c ${shq(line)}`;

/** Flags as shell words, each followed by a space. */
export const flagWords = (flags: string[]): string => flags.map((f) => `${shq(f)} `).join('');

/** become_flags for sudo (ansible-core's default `-H -S -n`): the given ones but -n and -S, which agri-play sets itself (-S only where sudo asks a password). */
export const sudoFlags = (flags: string[] = []): string[] => flags.filter((f) => f !== '-n' && f !== '-S' && f !== '--non-interactive' && f !== '--stdin');
export const SU_PASSWORD = 'become_method su with a become password: su reads the password only from a terminal, which agri-play does not give it (use sudo, or su from root, which asks none)';
