import fs from 'fs';
import { parseText } from './src/minutes';
const base = fs.readFileSync('../shared/seeds/' + (process.argv[2] ?? '003_a55821ee45769250.txt'), 'utf8');
const t = base.repeat(Math.floor(9.5e6 / base.length));
const t0 = Date.now();
try { const m = parseText(t); console.log('items', m.items.length); } catch (e) { console.log((e as any).code); }
console.log('ms', Date.now() - t0, t.length);
