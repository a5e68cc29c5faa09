import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Network gate (issue 7): the modules and globals that can open a connection. Only the gate and the
// local servers may use them (see the block at the end).
const networkModuleNames = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises'];
const networkModules = [
  ...networkModuleNames,
  ...networkModuleNames.map((m) => `node:${m}`),
  'undici',
  'ws',
  'node-fetch',
  'cross-fetch',
  'axios',
  'got',
];
const networkMessage =
  'Outbound requests go through the network gate (electron/core/net/network.ts): policy + ledger.';
/** Names a module may export that open nothing: net's address checks (the local API's Host guard). */
const harmlessImports = { net: ['isIP', 'isIPv4', 'isIPv6'] };
/** The restricted network imports; `allowed` adds names a file may import (a server's createServer). */
const networkImportRule = (allowed = {}) => [
  'error',
  {
    paths: [
      ...networkModules.map((name) => {
        const bare = name.replace(/^node:/, '');
        const names = [...(harmlessImports[bare] ?? []), ...(allowed[bare] ?? [])];
        return {
          name,
          message: networkMessage,
          allowTypeImports: true,
          ...(names.length > 0 ? { allowImportNames: names } : {}),
        };
      }),
      { name: 'electron', importNames: ['net', 'netLog'], message: networkMessage },
    ],
  },
];

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
    files: ['electron/**', 'test/**', 'bench/**', 'e2e/**', 'bin/**', 'security/**', '*.config.*'],
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
  {
    // Network gate (issue 7): nothing in the core, the shell, the preload, the host, the CLI or the
    // local API server opens a connection except the gate. Type-only imports are fine (a server's request type opens nothing). The exceptions below
    // are the gate itself and the local servers on 127.0.0.1 (server side only), and test code.
    files: [
      'electron/core/**',
      'electron/main/**',
      'electron/host/**',
      'electron/cli/**',
      'electron/preload/**',
      'electron/localApi-server/**',
    ],
    ignores: [
      'electron/core/net/network.ts', // the gate: the one caller of fetch
      'electron/host/index.ts', // the headless host: http.createServer + ws.WebSocketServer on 127.0.0.1
      'electron/host/testing.ts', // test clients of that host
      'electron/localApi-server/testing.ts', // test clients of that server
      '**/*.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': networkImportRule(),
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
          name,
          message: networkMessage,
        })),
      ],
      'no-restricted-properties': [
        'error',
        ...['globalThis', 'global', 'window', 'self'].map((object) => ({
          object,
          property: 'fetch',
          message: networkMessage,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          // (esquery regexes cannot hold a slash: `.promises` stands for `/promises`)
          selector:
            'ImportExpression[source.value=/^(node:)?(http|https|http2|net|tls|dgram|dns)(.promises)?$|^(undici|ws)$/]',
          message: networkMessage,
        },
      ],
    },
  },
  {
    // Local API (issue 8): its server listens (http.createServer, on 127.0.0.1 unless the user binds
    // elsewhere) and may import nothing else from http: no client request, no fetch (rules above).
    files: ['electron/localApi-server/server.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': networkImportRule({ http: ['createServer'] }) },
  },
);
