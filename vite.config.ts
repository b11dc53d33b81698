import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The dashboard: built into dist/web and served by the Hono server under /app/.
export default defineConfig({
  root: 'web',
  base: '/app/',
  plugins: [preact()],
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
