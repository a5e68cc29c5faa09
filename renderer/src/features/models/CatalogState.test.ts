import { describe, expect, it } from 'vitest';
import type { CatalogEntry, DownloadInfo, Params } from '../../../../electron/common/api/contract.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { CatalogState } from './CatalogState.svelte.js';

const entry: CatalogEntry = {
  id: 'tiny-chat',
  kind: 'chat',
  name: 'Tiny Chat',
  family: 'llama',
  description: 'A tiny model.',
  repo: 'hearth/tiny',
  parametersB: 0.5,
  contextLength: 4096,
  license: 'apache-2.0',
  commercialUse: true,
  quantizations: [
    { name: 'Q4_K_M', files: ['tiny.Q4_K_M.gguf'] },
    { name: 'Q8_0', files: ['tiny.Q8_0.gguf'] },
  ],
  recommended: 'Q8_0',
};

const downloading: DownloadInfo = {
  id: 'd1',
  source: 'tiny-chat',
  name: 'Tiny Chat',
  modelId: 'tiny.Q8_0.gguf',
  state: 'downloading',
  receivedBytes: 100,
  totalBytes: 1000,
  bytesPerSecond: 50,
  etaSeconds: 18,
};

function fakeCore() {
  const started: Params<'downloads.start'>[] = [];
  const fitAsked: Params<'catalog.fit'>[] = [];
  const transport = new LoopbackTransport({
    'catalog.list': async () => [entry],
    'hardware.info': async () => ({
      totalRamBytes: 16e9,
      freeRamBytes: 8e9,
      gpu: false,
      gpuNames: [],
      totalVramBytes: 0,
      freeVramBytes: 0,
      cpuCores: 8,
    }),
    'catalog.fit': async (params) => {
      fitAsked.push(params);
      return {
        level: 'cpu',
        label: 'CPU only, slow',
        estimatedBytes: 9e8,
        gpuLayers: 0,
        totalLayers: 22,
        contextSize: 4096,
      };
    },
    'downloads.list': async () => [],
    'downloads.start': async (params) => {
      started.push(params);
      return { ...downloading, state: 'queued', receivedBytes: 0 };
    },
    'downloads.pause': async () => ({ ...downloading, state: 'paused' }),
  });
  return { client: new HearthClient(transport), transport, started, fitAsked };
}

describe('CatalogState', () => {
  it('reads the catalog once and checks the recommended quantization’s fit', async () => {
    const core = fakeCore();
    const catalog = new CatalogState(core.client);
    await catalog.open();
    await catalog.open();
    expect(catalog.entries.map((item) => item.id)).toEqual(['tiny-chat']);
    expect(catalog.hardware?.cpuCores).toBe(8);
    await catalog.checkFit('tiny-chat', 'Q8_0');
    expect(core.fitAsked).toEqual([{ entryId: 'tiny-chat', quantization: 'Q8_0' }]);
    expect(catalog.fitOf('tiny-chat', 'Q8_0')).toMatchObject({
      state: 'known',
      fit: { label: 'CPU only, slow' },
    });
  });

  it('starts a download by catalog id and follows it through the broadcasts', async () => {
    const core = fakeCore();
    const catalog = new CatalogState(core.client);
    const stop = catalog.start();
    await catalog.download('tiny-chat', 'Q8_0');
    expect(core.started).toEqual([{ source: 'tiny-chat', quantization: 'Q8_0' }]);
    expect(catalog.downloadFor('tiny-chat')?.state).toBe('queued');

    core.transport.emit('downloads.changed', downloading);
    expect(catalog.downloadFor('tiny-chat')).toMatchObject({ state: 'downloading', receivedBytes: 100 });
    await catalog.pause('d1');
    expect(catalog.downloadFor('tiny-chat')?.state).toBe('paused');
    stop();
    core.transport.emit('downloads.changed', { ...downloading, receivedBytes: 900 });
    expect(catalog.downloadFor('tiny-chat')?.state).toBe('paused');
  });
});
