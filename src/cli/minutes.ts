import type { Command } from 'commander';

/** Sub-commands of this capability. (Placeholder: the capability's owner fills this in.) */
export function registerMinutesCommands(_program: Command): void {}
