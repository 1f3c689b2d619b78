import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves web/dist with an SPA fallback, so the build is plain static files under base '/'.
// `root` is resolved from this file so the build works from any working directory.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Mantine and React make one ~500 kB chunk; that is expected for a back-office SPA.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev:web` proxies the API to a locally running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
