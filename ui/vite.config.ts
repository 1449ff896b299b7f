import { defineConfig } from 'vitest/config';

// Tauri serves the built files from ui/dist; relative asset paths keep them loadable there.
// Every screen is its own chunk; the one large chunk is Plotly's cartesian bundle (about 1.5 MB
// minified), loaded only when the first chart is drawn, so the warning limit is set just above it
// rather than switched off: any other chunk that grows past it still warns.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      // react-query marks its modules "use client" for server components; meaningless in this app.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  test: { environment: 'jsdom', globals: true, include: ['src/**/*.test.{ts,tsx}'] },
});
