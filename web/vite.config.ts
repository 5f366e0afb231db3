import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { reportInitialSize } from './scripts/size.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.PONTE_API ?? 'http://127.0.0.1:8787';

/** Prints the gzipped size of the inbox route's initial JS once the bundle is written. */
function initialSize(): Plugin {
  let quiet = false;
  return {
    name: 'ponte-initial-size',
    apply: 'build',
    configResolved(config) {
      quiet = config.logLevel === 'warn' || config.logLevel === 'error' || config.logLevel === 'silent';
    },
    closeBundle() {
      if (!quiet) reportInitialSize(`${root}dist`);
    },
  };
}

export default defineConfig({
  root,
  plugins: [solid(), initialSize()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: backend, ws: true, changeOrigin: false },
      '/webhooks': { target: backend },
    },
  },
});
