import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

/** `forumbot serve --port 0 --demo` as a process: it starts, answers /api/health, and exits 0 on SIGTERM. */

const ROOT = path.resolve(__dirname, '..', '..');

test('serve starts on loopback, loads the demo forum, and shuts down gracefully on SIGTERM', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-serve-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'forumbot.js'), 'serve', '--port', '0', '--demo'], {
    cwd: ROOT,
    env: { ...process.env, FORUMBOT_FROM_SOURCE: '1', DATA_DIR: dataDir, DATABASE_URL: '', MicrosoftAppId: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 90_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /forumbot listening on 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
  try {
    expect(stderr).toMatch(/LOCAL MODE/);
    expect(stderr).toMatch(/demo: demo data checked/);
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'local' });
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/shutting down/);
    expect(stdout).toBe(''); // logs go to stderr
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
