// Builds the `hearth` CLI and the headless host (plain Node, no Electron) into out/cli.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // The library's parse worker is its own entry: a worker thread loads it by file.
      input: { index: 'electron/cli/index.ts', parseWorker: 'electron/core/library/parse/parseWorker.ts' },
      output: { entryFileNames: '[name].js' },
    },
  },
});
