// commander as one file: see typebox.ts.
export { Command, CommanderError, Option } from 'commander';
