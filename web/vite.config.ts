import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The web app: built into web/dist, served by `followthrough serve` beside the API.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The first page's JavaScript is one file of about 330 KB (96 KB gzip) within the 300 KB
  // gzip budget that the web bench measures; the plan checker (YAML, CEL, Temporal) and the charts
  // are chunks of their own, loaded by the pages that use them. The charts' chunk is the largest.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
