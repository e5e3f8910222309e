import { Command, CommanderError } from 'commander';
import { UserError, UsageError } from './errors';
import { registerMinutesCommands } from './cli/minutes';
import { registerQuestionCommands } from './cli/questions';
import { registerServeCommand } from './cli/serve';
import { registerBroadcastCommands } from './cli/broadcasts';
import { registerProcedureCommands } from './cli/procedures';
import { registerPackageCommand } from './cli/package';

/**
 * The `forumbot` command (DESIGN section 5). Each capability registers its sub-commands from src/cli/<capability>.ts.
 * Exit codes: 0 success, 1 user error (one clear line on stderr), 2 usage error.
 */
export function buildProgram(): Command {
  const program = new Command('forumbot')
    .description('forumbot: minutes, questions, written procedures and channel posts for Danish director forums')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerMinutesCommands(program);
  registerQuestionCommands(program);
  registerBroadcastCommands(program);
  registerProcedureCommands(program);
  registerServeCommand(program);
  registerPackageCommand(program);
  // sub-commands inherit exitOverride and output settings
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = exitCodeFor(e);
    if (e instanceof CommanderError) return; // commander already printed its message (or help/version with code 0)
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`forumbot: ${e instanceof UserError ? msg : `internal error: ${msg}`}\n`);
    if (!(e instanceof UserError) && process.env.FORUMBOT_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  }
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof UsageError) return 2;
  return 1;
}

if (require.main === module) void main();
