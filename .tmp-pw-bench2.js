const fs = require('fs');
const { parseText } = require(process.argv[2]);
const files = fs.readdirSync('../shared/seeds').map((f) => fs.readFileSync('../shared/seeds/' + f, 'utf8'));
for (let w = 0; w < 20; w++) for (const f of files) parseText(f);
const t0 = Date.now(); let n = 0;
for (let r = 0; r < 100; r++) for (const f of files) { parseText(f); n++; }
console.log(n, 'docs in', Date.now() - t0, 'ms');
