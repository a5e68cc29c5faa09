import { describe, expect, it } from 'vitest';
import type { ModelEntry, ModelStatus } from '../common/api/contract.js';
import { buildMenuTemplate, GET_MODELS_URL, type MenuActions, type MenuItemSpec } from './menuTemplate.js';
import { isAllowedExternalUrl } from './navigationPolicy.js';

const tiny: ModelEntry = {
  id: 'tiny.gguf',
  fileName: 'tiny.gguf',
  path: '/data/models/tiny.gguf',
  sizeBytes: 400_000,
  usable: true,
  name: 'Tiny Llama',
  quantization: 'F32',
};
const llama: ModelEntry = {
  id: 'sub/llama-3b.Q4_K_M.gguf',
  fileName: 'llama-3b.Q4_K_M.gguf',
  path: '/data/models/sub/llama-3b.Q4_K_M.gguf',
  sizeBytes: 2_100_000_000,
  usable: true,
};
const broken: ModelEntry = {
  id: 'broken.gguf',
  fileName: 'broken.gguf',
  path: '/data/models/broken.gguf',
  sizeBytes: 12,
  usable: false,
  problem: 'Not a GGUF file',
};
const none: ModelStatus = { state: 'none', modelId: null };

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    loadModel: (id) => calls.push(`load ${id}`),
    unloadModel: () => calls.push('unload'),
    openModelsFolder: () => calls.push('models folder'),
    openDataFolder: () => calls.push('data folder'),
    openExternal: (url) => calls.push(`open ${url}`),
    runShortcut: (command) => calls.push(`shortcut ${command}`),
    addToLibrary: (kind) => calls.push(`add ${kind}`),
    importModel: () => calls.push('import'),
    runSetup: () => calls.push('setup'),
  };
  return { calls, actions };
}

function build(options: {
  models?: ModelEntry[];
  status?: ModelStatus;
  platform?: string;
  problem?: string;
}) {
  const { calls, actions } = recorder();
  const template = buildMenuTemplate({
    appName: 'Hearth',
    platform: options.platform ?? 'linux',
    isDev: false,
    models: options.models ?? [tiny, llama, broken],
    status: options.status ?? none,
    modelsProblem: options.problem,
    actions,
  });
  const menu = (label: string) => template.find((item) => item.label === label)?.submenu ?? [];
  const item = (items: MenuItemSpec[], id: string) => {
    const found = items.find((entry) => entry.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };
  return { template, menu, item, calls };
}

describe('buildMenuTemplate', () => {
  it('shows the chat shortcuts with their accelerators, leaving the keys to the page', () => {
    const { menu, item, calls } = build({});
    const chat = menu('Chat');
    expect(chat.filter((entry) => entry.label).map((entry) => [entry.label, entry.accelerator])).toEqual([
      ['New chat', 'CmdOrCtrl+N'],
      ['Find in chats', 'CmdOrCtrl+Shift+F'],
      ['Stop', 'Escape'],
      ['Regenerate', 'CmdOrCtrl+Alt+R'],
      ['Switch model…', 'CmdOrCtrl+K'],
    ]);
    expect(chat.every((entry) => entry.type === 'separator' || entry.registerAccelerator === false)).toBe(
      true,
    );
    item(chat, 'chat:newChat').click?.();
    item(menu('View'), 'chat:toggleSidebar').click?.();
    expect(calls).toEqual(['shortcut newChat', 'shortcut toggleSidebar']);
  });

  it('offers Import model… in File with Ctrl/Cmd+I, the keys left to the page like the others', () => {
    const { menu, item, calls } = build({});
    const importModel = item(menu('File'), 'file:import-model');
    expect(importModel).toMatchObject({
      label: 'Import model…',
      accelerator: 'CmdOrCtrl+I',
      registerAccelerator: false,
    });
    importModel.click?.();
    expect(calls).toEqual(['import']);
  });

  it('has Hearth, File, Edit, View, Chat, Models and Help, in that order', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      expect(build({ platform }).template.map((item) => item.label)).toEqual([
        'Hearth',
        'File',
        'Edit',
        'View',
        'Chat',
        'Models',
        'Help',
      ]);
    }
  });

  it('uses the macOS app menu conventions only on macOS', () => {
    const roles = (platform: string) =>
      build({ platform })
        .menu('Hearth')
        .map((item) => item.role);
    expect(roles('darwin')).toEqual(expect.arrayContaining(['about', 'services', 'hide', 'quit']));
    expect(roles('linux')).not.toContain('services');
    expect(roles('linux')).toContain('quit');
  });

  it('lists usable models as one radio group, nothing checked but "No model" when none is loaded', () => {
    const { menu } = build({});
    const radios = menu('Models').filter((item) => item.type === 'radio');
    expect(radios.map((item) => [item.label, item.checked])).toEqual([
      ['No model', true],
      ['Tiny Llama (F32)', false],
      ['llama-3b.Q4_K_M.gguf', false],
    ]);
    expect(radios.map((item) => item.sublabel)).toEqual([undefined, '400 KB', '2.1 GB']);
  });

  it('checks the loaded model and enables Unload model', () => {
    const { menu, item } = build({ status: { state: 'loaded', modelId: llama.id } });
    const models = menu('Models');
    expect(item(models, `model:${llama.id}`).checked).toBe(true);
    expect(item(models, `model:${tiny.id}`).checked).toBe(false);
    expect(item(models, 'model:none').checked).toBe(false);
    expect(item(models, 'models:unload').enabled).toBe(true);
  });

  it('disables Unload model when nothing is loaded', () => {
    const { menu, item } = build({});
    expect(item(menu('Models'), 'models:unload').enabled).toBe(false);
  });

  it('shows load progress and locks the list while a model loads', () => {
    const { menu } = build({ status: { state: 'loading', modelId: tiny.id, progress: 0.42 } });
    const models = menu('Models');
    expect(models[0]).toMatchObject({ label: 'Loading Tiny Llama (F32)… 42%', enabled: false });
    expect(models.filter((item) => item.type === 'radio').every((item) => item.enabled === false)).toBe(true);
  });

  it('shows unusable files disabled, with their reason', () => {
    const { menu, item } = build({});
    expect(item(menu('Models'), `unusable:${broken.id}`)).toMatchObject({
      label: 'broken.gguf (cannot be used)',
      toolTip: 'Not a GGUF file',
      enabled: false,
    });
  });

  it('says so when there are no models or the folder cannot be listed', () => {
    expect(build({ models: [] }).menu('Models')[0]).toMatchObject({
      label: 'No models installed',
      enabled: false,
    });
    expect(build({ models: [broken] }).menu('Models')[0]).toMatchObject({ label: 'No models installed' });
    expect(build({ models: [], problem: 'EACCES' }).menu('Models')[0]).toMatchObject({
      label: 'Cannot list models: EACCES',
      enabled: false,
    });
    expect(
      build({ models: [] })
        .menu('Models')
        .some((item) => item.type === 'radio'),
    ).toBe(false);
  });

  it('wires clicks to the actions', () => {
    const loaded = build({ status: { state: 'loaded', modelId: tiny.id } });
    const models = loaded.menu('Models');
    loaded.item(models, `model:${llama.id}`).click?.();
    loaded.item(models, 'model:none').click?.();
    loaded.item(models, 'models:unload').click?.();
    loaded.item(models, 'models:open-folder').click?.();
    loaded.item(loaded.menu('File'), 'file:open-data-folder').click?.();
    loaded.item(loaded.menu('File'), 'file:add-documents').click?.();
    loaded.item(loaded.menu('File'), 'file:add-folder').click?.();
    loaded.item(loaded.menu('File'), 'file:import-model').click?.();
    loaded.item(loaded.menu('Help'), 'help:get-models').click?.();
    loaded.item(loaded.menu('Help'), 'help:run-setup').click?.();
    expect(loaded.calls).toEqual([
      `load ${llama.id}`,
      'unload',
      'unload',
      'models folder',
      'data folder',
      'add files',
      'add folder',
      'import',
      `open ${GET_MODELS_URL}`,
      'setup',
    ]);
  });

  it('does not unload when "No model" is chosen with nothing loaded', () => {
    const { menu, item, calls } = build({});
    item(menu('Models'), 'model:none').click?.();
    expect(calls).toEqual([]);
  });

  it('offers developer tools only while developing', () => {
    const { actions } = recorder();
    const roles = (isDev: boolean) =>
      buildMenuTemplate({ appName: 'Hearth', platform: 'linux', isDev, models: [], status: none, actions })
        .find((item) => item.label === 'View')
        ?.submenu?.map((item) => item.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
  });

  it('links only to an allow-listed https page', () => {
    expect(isAllowedExternalUrl(GET_MODELS_URL)).toBe(true);
  });
});
