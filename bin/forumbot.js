#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (built by `npm install` through the `prepare` script). When dist/ is missing or
// older than any file under src/ (a developer edited the sources), it runs the TypeScript sources through swc,
// so a stale build never runs. FORUMBOT_FROM_SOURCE=1 forces the sources.
const path = require('path');
const fs = require('fs');
const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.sql') || e.name.endsWith('.json')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function useCompiled() {
  if (process.env.FORUMBOT_FROM_SOURCE === '1' || !fs.existsSync(compiled)) return false;
  const src = path.join(root, 'src');
  return !fs.existsSync(src) || newestMtime(src) <= fs.statSync(compiled).mtimeMs;
}

if (useCompiled()) {
  require(compiled).main(process.argv);
} else {
  require('@swc-node/register');
  require(path.join(root, 'src', 'cli.ts')).main(process.argv);
}
