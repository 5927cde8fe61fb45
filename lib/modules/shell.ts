import { defineModule } from './types.js';
import { CommandArgs, commandGuard, runCommand } from './command.js';

export default defineModule({
  name: 'shell',
  kind: 'state',
  description: 'Runs a command through /bin/sh. Always reports changed, unless creates/removes say it is not needed.',
  args: CommandArgs,
  freeForm: 'cmd',
  aliases: { _raw_params: 'cmd' },
  paths: ['chdir', 'creates', 'removes'],
  check: (ctx, a) => commandGuard(ctx, a, true),
  apply: (ctx, a) => runCommand(ctx, a, true),
});
