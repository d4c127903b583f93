import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// The Python server (`make run`) listens here; the dev server forwards API and socket traffic.
// BREAKOUTS_API_ORIGIN points the dev server at a server elsewhere.
const API_ORIGIN = process.env['BREAKOUTS_API_ORIGIN'] ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [svelte({ emitCss: true })],
  server: {
    proxy: {
      '/api': { target: API_ORIGIN, changeOrigin: false },
      '/ws': {
        target: API_ORIGIN,
        ws: true,
        changeOrigin: false,
        // The server accepts sockets only from its allow-listed origins (127.0.0.1:8000 by default);
        // in development the page comes from Vite's port, so present the server's own origin.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', API_ORIGIN));
        },
      },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    // Never inline assets as data: URLs: `font-src 'self'` would refuse an inlined font, and
    // separate hashed files cache better on poor connections anyway.
    assetsInlineLimit: 0,
    // One CSS file per chunk, loaded with <link>; nothing is injected as <style>.
    cssCodeSplit: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
