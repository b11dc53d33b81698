#!/usr/bin/env node
// `npx hami …`: the staff command line (server/cli.ts), run from the TypeScript source with no build step.
// tsx's loader is registered in this process, so server/cli.ts and everything it imports (the database
// migrations included) load as TypeScript; the exit code is the command's.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../cli.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
