import type { Command } from 'commander';
import { UsageError } from '../errors';

/** `forumbot serve [--port N] [--demo]`: what `npm start` runs (with --demo). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the bot server (POST /api/messages, GET /api/health); PORT defaults to 3978')
    .option('--port <n>', 'port to listen on (default: PORT or 3978)')
    .option('--demo', 'load the demo forum when the store holds no meetings')
    .action(async (opts: { port?: string; demo?: boolean }) => {
      let port: number | undefined;
      if (opts.port !== undefined) {
        port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${opts.port}"`);
      }
      // loaded here so other sub-commands do not pay for botbuilder and restify
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { serve } = require('../index') as typeof import('../index');
      await serve({ port, demo: !!opts.demo });
      // keep running: the server holds the event loop open until SIGTERM/SIGINT
    });
}
