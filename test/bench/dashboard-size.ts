import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { record } from './results.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ASSETS = path.join(ROOT, 'dist/web/assets');
const TARGET = 120 * 1024;

/** "The dashboard's JavaScript is under 120 KB gzip": a fresh production build, every script it ships. */
export function dashboardSizeBench(): string[] {
  console.log('\ndashboard JavaScript, gzip (target: under 120 KB)');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  let total = 0;
  for (const file of readdirSync(ASSETS).filter((name) => name.endsWith('.js'))) {
    const size = gzipSync(readFileSync(path.join(ASSETS, file))).length;
    total += size;
    console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB`);
  }
  console.log(`  total ${(total / 1024).toFixed(1)} KB ${total < TARGET ? 'PASS' : 'FAIL'}`);
  record({ name: 'dashboard JavaScript, gzip', value: total / 1024, unit: 'KB', target: '≤ 120 KB', pass: total < TARGET });
  return total < TARGET ? [] : [`dashboard JavaScript is ${(total / 1024).toFixed(1)} KB gzip`];
}
