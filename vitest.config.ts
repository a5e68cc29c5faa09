import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: [
      'electron/**/*.test.ts',
      'renderer/src/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Native inference on 2 cores: run test files one after another so timings stay sane.
    fileParallelism: false,
    // Builds the library's parse worker once and points HEARTH_PARSE_WORKER at it.
    globalSetup: ['test/support/library/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
