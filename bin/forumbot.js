#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (built by `npm install` through the `prepare` script).
// In a checkout without dist/ (or with FORUMBOT_FROM_SOURCE=1) it runs the TypeScript sources through swc.
const path = require('path');
const fs = require('fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli.js');
if (process.env.FORUMBOT_FROM_SOURCE !== '1' && fs.existsSync(compiled)) {
  require(compiled).main(process.argv);
} else {
  require('@swc-node/register');
  require(path.join(__dirname, '..', 'src', 'cli.ts')).main(process.argv);
}
