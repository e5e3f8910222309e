import path from 'path';
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { writePackage } from '../tab/manifest';
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
}
