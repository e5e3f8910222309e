import path from 'path';
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { UsageError } from '../errors';
import { writePackage } from '../tab/manifest';
import { playgroundConfig, readPlaygroundConfig, seedPlayground, startPlayground } from '../tab/playground';
import { printJson } from './shared';

/**
 * `forumbot package [--out FILE] [--json]`: the Teams app package (manifest filled from the
 * environment, plus the icons) as a zip for Teams Admin Center or sideloading. `npm run package` runs it.
 */
export function registerPackageCommand(program: Command): void {
  program
    .command('package')
    .description('build the Teams app package (build/forumbot.zip) from manifest/ and the environment')
    .option('--out <file>', 'where to write the zip', path.join('build', 'forumbot.zip'))
    .option('--json', 'print {file, manifestId, botId, domain, entries} as JSON')
    .action(async (opts: { out: string; json?: boolean }) => {
      const config = loadConfig();
      const res = await writePackage(config, path.resolve(opts.out));
      const m = res.manifest as { id: string; bots: Array<{ botId: string }>; validDomains: string[] };
      const summary = { file: res.file, manifestId: m.id, botId: m.bots[0].botId, domain: m.validDomains[0], entries: res.entries };
      if (opts.json) printJson(summary);
      else process.stdout.write(`wrote ${res.file} (app ${summary.manifestId}, bot ${summary.botId}, domain ${summary.domain})\n`);
    });
  registerPlaygroundCommand(program);
}

/**
 * `forumbot playground [--port N] [--playground-port N] [--data-dir DIR]`: the local try-out. Starts the bot
 * in local mode with the demo forum (in memory unless --data-dir or DATABASE_URL says otherwise), makes the
 * Playground's people the demo forum's roster with the demo written procedure open, starts Microsoft 365
 * Agents Playground against it and prints where to open it. `npm run playground` runs it.
 */
export function registerPlaygroundCommand(program: Command): void {
  program
    .command('playground')
    .description('try forumbot locally in Microsoft 365 Agents Playground (no Azure, no tenant)')
    .option('--port <n>', 'the bot\'s port (default: PORT or 3978)')
    .option('--playground-port <n>', 'the Playground\'s port', '56150')
    .option('--data-dir <dir>', 'keep the try-out\'s store in this PGlite directory (default: in memory, fresh each time)')
    .action(async (opts: { port?: string; playgroundPort: string; dataDir?: string }) => {
      const port = opts.port !== undefined ? portOf(opts.port, '--port') : undefined;
      const pgPort = portOf(opts.playgroundPort, '--playground-port');
      const tenant = readPlaygroundConfig();
      const base = loadConfig();
      const config = playgroundConfig({ ...base, DATA_DIR: opts.dataDir ?? (base.DATABASE_URL ? base.DATA_DIR : 'memory://') }, tenant);
      // loaded here so other sub-commands do not pay for botbuilder and restify
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { serve } = require('../index') as typeof import('../index');
      const running = await serve({ port, demo: true, config });
      const { procedureId } = await seedPlayground(running.deps.db, config, tenant, running.deps.now);
      const pg = startPlayground({ botUrl: running.url, port: pgPort, onLine: (l) => process.stderr.write(`[playground] ${l}\n`) });
      // the bot's shutdown (Ctrl+C, SIGTERM) ends the process: take the Playground along
      process.once('exit', () => {
        if (pg.child.exitCode === null) pg.child.kill('SIGTERM');
      });
      pg.child.once('exit', (code) => {
        process.stderr.write(`the Playground stopped (code ${code ?? 0}); stopping the bot\n`);
        void running.close().finally(() => process.exit(code ?? 0));
      });
      const url = await pg.url;
      process.stdout.write(
        [
          '',
          `forumbot is running in local mode at ${running.url} with the demo forum.`,
          `Open Microsoft 365 Agents Playground: ${url}`,
          `You are ${tenant.currentUser.name} (secretariat). Try: "hvornår er næste møde?", "hjælp",`,
          procedureId ? `"skriftlige procedurer" (the demo written procedure ${procedureId}: vote on its card), "mine afstemninger".` : '"mine afstemninger".',
          `The personal tab runs in a plain browser: ${running.url}/tab/`,
          'Stop with Ctrl+C.',
          '',
        ].join('\n'),
      );
    });
}

function portOf(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a number from 0 to 65535, not "${v}"`);
  return n;
}
