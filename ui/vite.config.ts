import { defineConfig } from 'vitest/config';

// Tauri serves the built files from ui/dist; relative asset paths keep them loadable there.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 5000 },
  test: { environment: 'jsdom', globals: true, include: ['src/**/*.test.{ts,tsx}'] },
});
