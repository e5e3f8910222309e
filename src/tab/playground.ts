import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { Config } from '../config';
import { UserError } from '../errors';
import type { Db } from '../store/db';

/**
 * Local try-out with Microsoft 365 Agents Playground (`npm run playground` = `forumbot playground`):
 * the bot in local mode with the demo forum, the Playground's users as the demo forum's roster, the demo
 * written procedure open, and the Playground (a devDependency, started as a child process) pointed at
 * the bot. The mock tenant is .m365agentsplayground.yml at the repository root.
 */

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const PLAYGROUND_CONFIG = path.join(REPO_ROOT, '.m365agentsplayground.yml');

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface PlaygroundTenant {
  tenantId: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  team: { id: string; name: string };
}

/**
 * Reads the parts of .m365agentsplayground.yml forumbot needs. The file is simple YAML written for this
 * project (flat keys, one list of users), so a line reader is enough; the Playground validates it fully.
 */
export function readPlaygroundConfig(file = PLAYGROUND_CONFIG): PlaygroundTenant {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const unquote = (v: string) => v.trim().replace(/^["']|["']$/g, '');
  let section = '';
  let tenantId = '';
  let current: Partial<PlaygroundUser> = {};
  const users: Array<Partial<PlaygroundUser>> = [];
  const team: Partial<{ id: string; name: string }> = {};
  for (const raw of lines) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const top = /^([A-Za-z]+):\s*(.*)$/.exec(raw);
    if (top) {
      section = top[1];
      if (section === 'tenantId') tenantId = unquote(top[2]);
      continue;
    }
    const m = /^\s+(-\s+)?([A-Za-z]+):\s*(.*)$/.exec(raw);
    if (!m) continue;
    const [, dash, key, value] = m;
    const indent = raw.length - raw.trimStart().length;
    if (section === 'currentUser' && (key === 'id' || key === 'name' || key === 'aadObjectId')) current[key] = unquote(value);
    if (section === 'users') {
      if (dash) users.push({});
      const u = users[users.length - 1];
      if (u && (key === 'id' || key === 'name' || key === 'aadObjectId')) u[key] = unquote(value);
    }
    if (section === 'team' && indent === 2 && (key === 'id' || key === 'name')) team[key] = unquote(value);
  }
  const complete = (u: Partial<PlaygroundUser>): u is PlaygroundUser => !!(u.id && u.name && u.aadObjectId);
  if (!complete(current)) throw new UserError(`${file}: currentUser needs id, name and aadObjectId`, 'playground_config');
  return { tenantId, currentUser: current, users: users.filter(complete), team: { id: team.id ?? '', name: team.name ?? '' } };
}

/** The configuration the try-out runs with: local mode, the current user as secretariat and as the tab's identity. */
export function playgroundConfig(base: Config, tenant: PlaygroundTenant): Config {
  if (base.MicrosoftAppId) {
    throw new UserError('the Playground sends unsigned requests: unset MicrosoftAppId (local mode) to try forumbot in it', 'playground_app_id');
  }
  const me = tenant.currentUser.aadObjectId;
  return {
    ...base,
    SECRETARIAT_AAD_IDS: base.SECRETARIAT_AAD_IDS.length ? base.SECRETARIAT_AAD_IDS : [me],
    TAB_DEV_AAD_OBJECT_ID: me,
  };
}

/**
 * The demo forum's roster from the Playground's people (the current user is the secretariat and votes too),
 * and its written procedure opened (src/procedures/demo.ts). Returns the procedure, or null when the demo
 * data holds none.
 */
export async function seedPlayground(db: Db, config: Config, tenant: PlaygroundTenant, now: () => Date = () => new Date()): Promise<{ procedureId: string | null }> {
  // loaded lazily: the procedures capability is optional for the rest of this module
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const demo = require('../procedures/demo') as typeof import('../procedures/demo');
  const roster = [
    { name: tenant.currentUser.name, organisation: 'Forumsekretariatet', aadObjectId: tenant.currentUser.aadObjectId, role: 'secretariat' as const, votes: true },
    ...tenant.users.map((u) => ({ name: u.name, organisation: null, aadObjectId: u.aadObjectId, role: 'member' as const })),
  ];
  const p = await demo.openDemoProcedure(db, { config, now, roster });
  return { procedureId: p?.id ?? null };
}

/** Where the Playground's command-line entry is (a devDependency). */
export function playgroundCli(): string {
  try {
    return require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    throw new UserError('Microsoft 365 Agents Playground is not installed: run `npm install` (it is a devDependency)', 'playground_missing');
  }
}

export interface PlaygroundProcess {
  child: ChildProcess;
  /** The Playground's address once it listens. */
  url: Promise<string>;
}

/**
 * Starts the Playground against the bot's /api/messages. It reads .m365agentsplayground.yml from its
 * working directory (the repository root). Telemetry is off, so nothing leaves the machine.
 */
export function startPlayground(opts: { botUrl: string; port?: number; cwd?: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void }): PlaygroundProcess {
  const args = [playgroundCli(), '--app-endpoint', `${opts.botUrl}/api/messages`, '--channel-id', 'msteams', '--port', String(opts.port ?? 56150), '--disable-telemetry'];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    // a Danish locale for the mock Teams client (it takes the process's locale); no proxies
    env: { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trimEnd();
        buffered = buffered.slice(nl + 1);
        opts.onLine?.(line);
        const m = /Listening on (\d+)/.exec(line);
        if (m) resolve(`http://localhost:${m[1]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the Playground exited (code ${code}) before it listened`)));
    child.once('error', reject);
  });
  url.catch(() => undefined);
  return { child, url };
}
