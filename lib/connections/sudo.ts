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
