import { describe, expect, it } from 'vitest';
import type { ModelEntry, ModelStatus, Params } from '../../../../electron/common/api/contract.js';
import { ErrorCode, HearthError } from '../../../../electron/common/api/errors.js';
import { HearthClient } from '../../lib/api.js';
import { LoopbackTransport } from '../../lib/loopbackTransport.testing.js';
import { ModelsState } from './ModelsState.svelte.js';

const small: ModelEntry = {
  id: 'small.gguf',
  fileName: 'small.gguf',
  path: '/m/small.gguf',
  sizeBytes: 1_000,
  usable: true,
  name: 'Small Model',
};
const huge: ModelEntry = {
  ...small,
  id: 'huge.gguf',
  fileName: 'huge.gguf',
  path: '/m/huge.gguf',
  name: 'Huge Model',
  fit: {
    level: 'too-big',
    label: 'will not fit',
    estimatedBytes: 40e9,
    gpuLayers: 0,
    totalLayers: 64,
    contextSize: 4096,
  },
};

/** A stand-in core with two models; loading `failing` fails and restores what was loaded before. */
function fakeCore(models: ModelEntry[] = [small, huge]) {
  let status: ModelStatus = { state: 'none', modelId: null };
  const loads: Params<'models.load'>[] = [];
  const imports: Params<'models.import'>[] = [];
  const transport = new LoopbackTransport({
    'app.info': async () => ({ version: 't', dataDir: '/d', modelsDir: '/m', platform: 'linux' }),
    'models.list': async () => models,
    'models.status': async () => status,
    'models.load': async (params, call) => {
      loads.push(params);
      call.emit('models.loadProgress', { requestId: call.requestId, modelId: params.modelId, progress: 0.5 });
      if (params.modelId === 'failing.gguf') {
        throw new HearthError(ErrorCode.ModelLoadFailed, 'The file is damaged.');
      }
      status = { state: 'loaded', modelId: params.modelId };
      return status;
    },
    'models.import': async (params, call) => {
      imports.push(params);
      call.emit('models.importProgress', { requestId: call.requestId, stage: 'hashing', progress: 0.5 });
      return { ...small, id: 'new.gguf', fileName: 'new.gguf', name: 'New Model' };
    },
  });
  return { client: new HearthClient(transport), loads, imports };
}

describe('ModelsState switching', () => {
  it('loads a model that fits at once, without force', async () => {
    const core = fakeCore();
    const models = new ModelsState(core.client);
    await models.refresh();
    await models.requestLoad('small.gguf');
    expect(core.loads).toEqual([{ modelId: 'small.gguf' }]);
    expect(models.status).toEqual({ state: 'loaded', modelId: 'small.gguf' });
    expect(models.confirmation).toBeNull();
  });

  it('asks before loading a model that will not fit, and forces the load only once confirmed', async () => {
    const core = fakeCore();
    const models = new ModelsState(core.client);
    await models.refresh();
    await models.requestLoad('huge.gguf');
    expect(core.loads).toEqual([]);
    expect(models.confirmation?.fit.estimatedBytes).toBe(40e9);

    models.dismissConfirmation();
    expect(models.confirmation).toBeNull();
    expect(core.loads).toEqual([]);

    await models.requestLoad('huge.gguf');
    await models.confirmLoad();
    expect(core.loads).toEqual([{ modelId: 'huge.gguf', force: true }]);
  });

  it('says so when a failed switch left the previous model loaded', async () => {
    const failing = { ...small, id: 'failing.gguf', fileName: 'failing.gguf', name: 'Failing' };
    const core = fakeCore([small, failing]);
    const models = new ModelsState(core.client);
    await models.refresh();
    await models.load('small.gguf');
    await models.load('failing.gguf');
    expect(models.error?.code).toBe(ErrorCode.ModelLoadFailed);
    expect(models.error?.message).toBe('The file is damaged. Small Model is loaded again.');
    expect(models.status.modelId).toBe('small.gguf');
    expect(models.loading).toBeNull();
  });
});

describe('ModelsState import', () => {
  it('imports a dropped file by its path with progress, then says what was added', async () => {
    const core = fakeCore();
    const models = new ModelsState(core.client);
    const stages: unknown[] = [];
    const file = new File(['GGUF'], 'new.gguf');
    const done = models.importFile(file, '/home/me/new.gguf');
    stages.push(models.importing);
    await done;
    expect(stages[0]).toMatchObject({ fileName: 'new.gguf', stage: 'hashing' });
    expect(core.imports).toEqual([{ path: '/home/me/new.gguf', mode: 'copy' }]);
    expect(models.notice?.title).toBe('Imported New Model');
    expect(models.importing).toBeNull();
  });

  it('refuses a file that is not a .gguf without asking the core', async () => {
    const core = fakeCore();
    const models = new ModelsState(core.client);
    await models.importFile(new File(['hi'], 'notes.txt'), '/home/me/notes.txt');
    expect(core.imports).toEqual([]);
    expect(models.error?.code).toBe(ErrorCode.ModelInvalid);
    expect(models.error?.message).toMatch(/notes\.txt is not a \.gguf file/);
  });
});

describe('ModelsState and a reload started by a message', () => {
  it('shows the progress of a load it did not start, and leaves a loaded model alone', async () => {
    const core = fakeCore();
    const models = new ModelsState(core.client);
    await models.refresh();
    models.noteLoadProgress('small.gguf', 0.25);
    expect(models.pendingLoad).toEqual({ modelId: 'small.gguf', progress: 0.25 });
    models.noteLoadProgress('small.gguf', 0.75);
    expect(models.pendingLoad).toEqual({ modelId: 'small.gguf', progress: 0.75 });
    await models.load('small.gguf');
    models.noteLoadProgress('small.gguf', 1);
    expect(models.status).toEqual({ state: 'loaded', modelId: 'small.gguf' });
  });
});

describe('ModelsState delete', () => {
  it('names the deleted model even when the listing changed before the call returned', async () => {
    let models: ModelEntry[] = [small, huge];
    const transport = new LoopbackTransport({
      'app.info': async () => ({ version: 't', dataDir: '/d', modelsDir: '/m', platform: 'linux' }),
      'models.list': async () => models,
      'models.status': async () => ({ state: 'none', modelId: null }),
      'models.delete': async ({ modelId }) => {
        models = models.filter((model) => model.id !== modelId);
        transport.emit('models.listChanged', {});
        return {};
      },
    });
    const state = new ModelsState(new HearthClient(transport));
    const stop = state.start();
    await state.refresh();
    expect(await state.remove('small.gguf')).toBe(true);
    expect(state.notice?.title).toBe('Deleted Small Model');
    expect(state.models.map((model) => model.id)).toEqual(['huge.gguf']);
    stop();
  });
});
