import fs from 'fs';
import path from 'path';

/**
 * The real minutes in ../shared/seeds (never copied into this repo). Where the folder is missing
 * (a user's fresh clone) suites that need it report themselves as skipped.
 */
export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');
export const SEEDS_DIR = path.join(SHARED_DIR, 'seeds');
export const LAYOUTS_DIR = path.join(SHARED_DIR, 'examples', 'layouts');
export const hasSeeds = fs.existsSync(SEEDS_DIR);
export const hasLayouts = fs.existsSync(LAYOUTS_DIR);

/** describe() when the seeds exist, describe.skip() otherwise. */
export const describeWithSeeds: jest.Describe = hasSeeds ? describe : describe.skip;
export const describeWithLayouts: jest.Describe = hasLayouts ? describe : describe.skip;

export function seedPath(prefix: string): string {
  const f = fs.readdirSync(SEEDS_DIR).find((n) => n.startsWith(prefix));
  if (!f) throw new Error(`no seed starting with ${prefix} in ${SEEDS_DIR}`);
  return path.join(SEEDS_DIR, f);
}

export function seedFiles(): string[] {
  return hasSeeds ? fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(SEEDS_DIR, f)) : [];
}
