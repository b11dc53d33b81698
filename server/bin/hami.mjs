#!/usr/bin/env node
// `npx hami …`: the staff command line, run as the compiled JavaScript (dist/node/server/cli.js) — built first when
// it is missing or older than its source and this install can build (server/bin/build-state.mjs). The exit code is
// the command's.
import { pathToFileURL } from 'node:url';
import { COMPILED_CLI, ensureBuilt } from './build-state.mjs';

if (!ensureBuilt({ web: false })) process.exit(1);
const { main } = await import(pathToFileURL(COMPILED_CLI).href);
process.exitCode = await main(process.argv.slice(2));
