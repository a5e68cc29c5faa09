// The lint rule behind "one network gate": code in the core, the shell or the host that could open a
// connection is an error, except in the gate and the local servers named in eslint.config.js.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function networkErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.message.includes('network gate'))
    .map((message) => message.ruleId ?? '');
}

describe('the network lint rule', () => {
  const offenders: Array<[string, string]> = [
    ["import { request } from 'node:https';\nvoid request;\n", 'node:https'],
    ["import http from 'http';\nvoid http;\n", 'http'],
    ["import { connect } from 'node:net';\nvoid connect;\n", 'node:net'],
    ["import { lookup } from 'node:dns/promises';\nvoid lookup;\n", 'dns/promises'],
    ["import { fetch as f } from 'undici';\nvoid f;\n", 'undici'],
    ["import WebSocket from 'ws';\nvoid WebSocket;\n", 'ws client'],
    ["export const get = () => fetch('https://example.com');\n", 'global fetch'],
    ["export const get = () => globalThis.fetch('https://example.com');\n", 'globalThis.fetch'],
    ["export const load = () => import('node:tls');\n", 'dynamic import'],
    ["import net from 'node:net';\nvoid net;\n", 'net default import'],
    ["import * as net from 'net';\nvoid net;\n", 'net namespace import'],
  ];
  for (const folder of [
    'electron/core/models',
    'electron/main',
    'electron/host',
    'electron/cli',
    'electron/preload',
    'electron/localApi-server',
  ]) {
    it(`refuses every way to the network in ${folder}`, async () => {
      for (const [code, what] of offenders) {
        expect(await networkErrors(code, `${folder}/sneaky.ts`), what).not.toEqual([]);
      }
    });
  }

  it("forbids Electron's net module in the shell", async () => {
    const code = "import { net } from 'electron';\nvoid net;\n";
    expect(await networkErrors(code, 'electron/main/sneaky.ts')).not.toEqual([]);
  });

  it('allows type-only imports, the gate itself and the local host server', async () => {
    const types = "import type { IncomingMessage } from 'node:http';\nexport type R = IncomingMessage;\n";
    expect(await networkErrors(types, 'electron/host/sneaky.ts')).toEqual([]);
    const gate = "export const get = () => fetch('https://example.com');\n";
    expect(await networkErrors(gate, 'electron/core/net/network.ts')).toEqual([]);
    const server = "import { createServer } from 'node:http';\nvoid createServer;\n";
    expect(await networkErrors(server, 'electron/host/index.ts')).toEqual([]);
    // The local API's server may listen, and nothing more; the rest of its folder may not even listen.
    const apiServer = 'electron/localApi-server/server.ts';
    expect(await networkErrors(server, apiServer)).toEqual([]);
    expect(await networkErrors(server, 'electron/localApi-server/controller.ts')).not.toEqual([]);
    const client = "import { createServer, request } from 'node:http';\nvoid createServer;\nvoid request;\n";
    expect(await networkErrors(client, apiServer)).not.toEqual([]);
    const fetching = "export const get = () => fetch('https://example.com');\n";
    expect(await networkErrors(fetching, apiServer)).not.toEqual([]);
  });

  it("allows net's address checks, which open nothing (the local API's Host-header guard)", async () => {
    const check = "import { isIP } from 'node:net';\nexport const ip = isIP('127.0.0.1');\n";
    expect(await networkErrors(check, 'electron/localApi-server/guards.ts')).toEqual([]);
    expect(await networkErrors(check, 'electron/core/models/sneaky.ts')).toEqual([]);
  });
});
