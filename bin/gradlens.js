#!/usr/bin/env node
// `gradlens trace FILE …` — the bundled CLI (run `npm run build` first).
require('../dist/cli.js');
