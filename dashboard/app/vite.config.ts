// The dashboard's single-page app: Preact + uPlot (about 40 KB gzipped), built into
// dist/dashboard and served by the same Express process.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    // No inline script or module-preload polyfill: the CSP allows script-src 'self' only.
    modulePreload: { polyfill: false },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
})
