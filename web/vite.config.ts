import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Built by `vite build web` (the package's build script); served by `mldb ui` from web/dist.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npx vite web` during development: forward the API to a running `mldb ui`.
    proxy: { '/api': process.env.MLDB_UI_URL ?? 'http://127.0.0.1:5757' },
  },
})
