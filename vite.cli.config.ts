// Builds the `hearth` CLI and the headless host (plain Node, no Electron) into out/cli.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'electron/cli/index.ts',
    outDir: 'out/cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'index.js' } },
  },
});
