#!/usr/bin/env node
// `npm start` / `npm run demo`: runs the compiled server (dist/node/server/main.js), building it and the dashboard
// first only when they are missing or older than their source (server/bin/build-state.mjs). Arguments (--demo) pass on.
import { pathToFileURL } from 'node:url';
import { COMPILED_MAIN, ensureBuilt } from './build-state.mjs';

if (!ensureBuilt({ web: true })) process.exit(1);
await import(pathToFileURL(COMPILED_MAIN).href);
