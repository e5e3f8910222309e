import { spawn } from 'child_process';
import path from 'path';

/**
 * Runs the real `forumbot` command (bin/forumbot.js on the TypeScript sources) as a child process,
 * with a PGlite store in `dataDir` (DATABASE_URL is removed unless given in `env`).
 */
export const ROOT = path.resolve(__dirname, '..', '..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runForumbot(args: string[], dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, FORUMBOT_FROM_SOURCE: '1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete childEnv.DATABASE_URL;
    delete childEnv.FORUMBOT_DEBUG;
    Object.assign(childEnv, env);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'forumbot.js'), ...args], { cwd: ROOT, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
