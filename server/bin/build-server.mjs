#!/usr/bin/env node
// `npm run build:server`: compiles server/ and shared/ to dist/node (tsconfig.build.json) for `npm start`, then
// removes compiled files whose source is gone — tsc's incremental build never deletes outputs, and a stale
// migration left in dist/node/server/db/migrations would still be run — and stamps the build's time
// (dist/node/built-at; tsc leaves its own files alone when nothing changed) for the tests' staleness check.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'dist/node');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      continue;
    }
    const compiled = /^(.*)\.js(\.map)?$/.exec(path.relative(out, file));
    if (!compiled) continue;
    const source = path.join(root, compiled[1]);
    if (!existsSync(`${source}.ts`) && !existsSync(`${source}.tsx`)) rmSync(file);
  }
}
for (const top of ['server', 'shared']) if (existsSync(path.join(out, top))) prune(path.join(out, top));
writeFileSync(path.join(out, 'built-at'), new Date().toISOString());
