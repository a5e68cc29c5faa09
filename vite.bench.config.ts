// Builds the benchmark runner (plain Node, like the CLI) into out/bench; `npm run bench` runs it.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'bench/main.ts',
    outDir: 'out/bench',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'index.js' } },
  },
});
