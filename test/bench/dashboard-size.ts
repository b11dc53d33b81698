import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './results.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist/web');
const ASSETS = path.join(DIST, 'assets');
/** Every script the dashboard ships, gzip. */
const JS_TARGET = 120 * 1024;
/**
 * What a first visit loads after the page (its script and style sheet), brotli: the page's own sign-in form works
 * without them, and they take it over; 30 KB is 0.6 s at Chrome's "Slow 3G" 50,000 bytes/s, on top of the second
 * 2-second round trip (test/e2e/slow-line.test.ts).
 */
const FIRST_LOAD_TARGET = 30 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
/** A file's name without vite's fingerprint: the same row from build to build. */
const unhashed = (file: string) => file.replace(/-[\w-]{8}\.(js|css)$/, '.$1');

interface Sizes {
  plain: number;
  gzip: number;
  brotli: number;
}

/** The sizes a browser downloads: the plain file and the .gz and .br the build wrote beside it (what the server sends). */
function sizesOf(file: string): Sizes {
  const full = path.join(ASSETS, file);
  return { plain: statSync(full).size, gzip: statSync(`${full}.gz`).size, brotli: statSync(`${full}.br`).size };
}

const sum = (all: Sizes[], key: keyof Sizes) => all.reduce((total, sizes) => total + sizes[key], 0);

/**
 * The dashboard as a fresh production build ships it: every script and style sheet gzip and brotli (precompressed
 * at build time, vite.config.ts), the totals, and what a first visit loads after the page.
 */
export function dashboardSizeBench(): string[] {
  console.log('\ndashboard files as served: plain / gzip / brotli (targets: scripts under 120 KB gzip; first load under 30 KB brotli)');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const files = readdirSync(ASSETS)
    .filter((name) => /\.(js|css)$/.test(name))
    .sort();
  const sizes = new Map(files.map((file) => [file, sizesOf(file)]));
  for (const [file, s] of sizes) {
    console.log(`  ${file}: ${kb(s.plain)} / ${kb(s.gzip)} / ${kb(s.brotli)}`);
    record({
      name: `dashboard file ${unhashed(file)}, brotli`,
      value: s.brotli / 1024,
      unit: 'KB',
      note: `gzip ${kb(s.gzip)}, plain ${kb(s.plain)}`,
      target: 'in the totals',
      pass: null,
    });
  }

  const scripts = files.filter((file) => file.endsWith('.js')).map((file) => sizes.get(file)!);
  const jsGzip = sum(scripts, 'gzip');
  console.log(`  scripts: ${kb(jsGzip)} gzip, ${kb(sum(scripts, 'brotli'))} brotli ${jsGzip < JS_TARGET ? 'PASS' : 'FAIL'}`);
  record({
    name: 'dashboard JavaScript, gzip (every file)',
    value: jsGzip / 1024,
    unit: 'KB',
    target: '≤ 120 KB',
    pass: jsGzip < JS_TARGET,
  });
  record({
    name: 'dashboard JavaScript, brotli (every file)',
    value: sum(scripts, 'brotli') / 1024,
    unit: 'KB',
    target: 'reported',
    pass: null,
  });

  // The page names what it loads first; the pages' own chunks come later, when opened.
  const page = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const first = [...page.matchAll(/(?:src|href)="\/app\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => sizes.get(m[1]!)!);
  const firstBrotli = sum(first, 'brotli');
  console.log(
    `  first load (the page's script and styles): ${kb(sum(first, 'gzip'))} gzip, ${kb(firstBrotli)} brotli ${firstBrotli < FIRST_LOAD_TARGET ? 'PASS' : 'FAIL'}`,
  );
  record({
    name: 'dashboard first load after the page (script + styles), brotli',
    value: firstBrotli / 1024,
    unit: 'KB',
    note: `gzip ${kb(sum(first, 'gzip'))}`,
    target: '≤ 30 KB',
    pass: firstBrotli < FIRST_LOAD_TARGET,
  });

  const missed: string[] = [];
  if (jsGzip >= JS_TARGET) missed.push(`dashboard JavaScript is ${kb(jsGzip)} gzip`);
  if (firstBrotli >= FIRST_LOAD_TARGET) missed.push(`the dashboard's first load is ${kb(firstBrotli)} brotli`);
  return missed;
}
