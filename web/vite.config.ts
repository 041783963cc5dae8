import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The web app: built into web/dist, served by `followthrough serve` beside the API.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The first page's JavaScript is one file of about 1 MB (180 KB gzip: the plan checker runs in the
  // browser too), within the 300 KB gzip budget that the web bench measures.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
