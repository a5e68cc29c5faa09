import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'playwright-report/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/**', 'test/**', 'bench/**', 'e2e/**', 'bin/**', '*.config.*'],
    languageOptions: { globals: globals.node },
  },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  {
    // The core and the contract run under plain Node (and the contract in the browser too).
    files: [
      'electron/core/**',
      'electron/common/**',
      'electron/host/**',
      'electron/cli/**',
      'electron/localApi-server/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The core, contract, host and CLI never import electron.' }] },
      ],
    },
  },
  {
    files: ['electron/common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The contract never imports electron.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'The contract runs in the renderer too: no Node modules.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the app only through src/lib/api.ts.' },
            ...nodeModules.map((name) => ({
              name,
              message: 'The renderer runs in a browser: no Node modules.',
            })),
          ],
          patterns: [{ group: ['**/electron/core/**', '**/electron/main/**'], message: 'Use the contract.' }],
        },
      ],
    },
  },
);
