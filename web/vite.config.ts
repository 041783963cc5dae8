import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The web app: built into web/dist, served by `followthrough serve` beside the API.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
})
