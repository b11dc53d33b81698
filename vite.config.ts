import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// The dashboard: built into dist/web and served by the Hono server under /app/.
// Every script and style sheet is also written gzip'd (.gz) and brotli'd (.br) at the highest levels: compressed once
// at build time, nothing per request; the server sends the variant the browser accepts (server/http/dashboard-assets.ts).
// Not index.html: the server answers it itself, with the session in it (server/http/dashboard-index.ts).
export default defineConfig({
  root: 'web',
  base: '/app/',
  plugins: [preact(), compression({ include: /\.(js|css|svg)$/, algorithms: ['gzip', 'brotliCompress'], logLevel: 'silent' })],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // Brotli at its best level takes a second or two of the build, on purpose: not worth rolldown's timing warning.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
