import fs from 'fs';
import path from 'path';
import { ConfigSchema, loadConfig } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..');

describe('project files', () => {
  it('.env.example lists every variable of src/config.ts, and its values load', () => {
    const text = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const listed = new Map(
      text
        .split('\n')
        .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    const missing = Object.keys(ConfigSchema.shape).filter((k) => !listed.has(k));
    expect(missing).toEqual([]);
    const unknown = [...listed.keys()].filter((k) => !(k in ConfigSchema.shape));
    expect(unknown).toEqual([]);
    expect(() => loadConfig(Object.fromEntries(listed))).not.toThrow();
  });

  it('.ci/run runs npm test and is executable', () => {
    const ci = path.join(ROOT, '.ci', 'run');
    expect(fs.readFileSync(ci, 'utf8')).toMatch(/npm test/);
    expect(fs.statSync(ci).mode & 0o111).not.toBe(0);
  });

  it('README gives the two set-up commands', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
