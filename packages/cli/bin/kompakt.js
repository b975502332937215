#!/usr/bin/env node
// The `kompakt` bin. A committed file, so npm links it at install time even before `dist/` is built
// (a bin path under dist/ is skipped when it does not exist yet, and the link only appeared after a
// second `npm install`).
await import('../dist/cli.js');
