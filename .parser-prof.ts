import fs from 'fs';
import { parseText } from './src/minutes';
const seeds = fs.readdirSync('../shared/seeds').map((f) => fs.readFileSync('../shared/seeds/' + f, 'utf8'));
const t0 = Date.now();
for (let k = 0; k < 100; k++) for (const s of seeds) parseText(s);
console.log('per doc ms', (Date.now() - t0) / 500);
