/**
 * The application menu, kept in step with the models folder and the loaded model. The menu's shape is
 * built by menuTemplate.ts; this file only fetches the state through the core's handlers and applies it.
 */
import { mkdir } from 'node:fs/promises';
import { app, BrowserWindow, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { CallContext } from '../common/api/dispatch.js';
import type { ModelEntry, ModelStatus } from '../common/api/contract.js';
import { ErrorCode, serializeError } from '../common/api/errors.js';
import { IpcChannel } from '../common/api/wire.js';
import type { Engine } from '../core/Engine.js';
import { shortcuts } from '../common/shortcuts.js';
import { buildMenuTemplate, type MenuActions } from './menuTemplate.js';

export interface AppMenuOptions {
  engine: Pick<Engine, 'handlers' | 'onEvent' | 'dataDir' | 'modelsDir'>;
  isDev: boolean;
  /** Opens an https link after the user confirms (security.ts): the menu's links take that path too. */
  openLink: (url: string) => Promise<unknown>;
}

export interface AppMenu {
  /** Re-reads the models (unless told not to) and the status, and replaces the menu. */
  refresh(relist?: boolean): Promise<void>;
  dispose(): void;
}

export function installAppMenu({ engine, isDev, openLink }: AppMenuOptions): AppMenu {
  const { handlers } = engine;
  let callCount = 0;
  let menuLoad: AbortController | undefined;

  /** A call context for calls the menu makes itself: nobody listens to their per-call events. */
  function context(signal = new AbortController().signal): CallContext {
    callCount += 1;
    return { requestId: `menu-${callCount}`, signal, emit: () => {} };
  }

  function showError(title: string, error: unknown): void {
    const serialized = serializeError(error);
    if (serialized.code === ErrorCode.Cancelled) return;
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options = { type: 'error' as const, message: title, detail: serialized.message, buttons: ['OK'] };
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  }

  async function openFolder(folder: string): Promise<void> {
    try {
      await mkdir(folder, { recursive: true });
      const problem = await shell.openPath(folder);
      if (problem) throw new Error(problem);
    } catch (error) {
      showError('Could not open the folder', error);
    }
  }

  const actions: MenuActions = {
    loadModel(modelId) {
      menuLoad?.abort();
      const controller = new AbortController();
      menuLoad = controller;
      // Progress reaches the window through the engine's models.changed broadcasts.
      handlers['models.load']({ modelId }, context(controller.signal))
        .catch((error: unknown) => showError('Could not load the model', error))
        .finally(() => {
          if (menuLoad === controller) menuLoad = undefined;
          void refresh(false);
        });
    },
    unloadModel() {
      menuLoad?.abort();
      handlers['models.unload']({}, context())
        .catch((error: unknown) => showError('Could not unload the model', error))
        .finally(() => void refresh(false));
    },
    openModelsFolder: () => void openFolder(engine.modelsDir),
    openDataFolder: () => void openFolder(engine.dataDir),
    openExternal(url) {
      openLink(url).catch((error: unknown) => showError('Could not open the link', error));
    },
    runShortcut(command) {
      // The page owns the shortcuts: press the same keys in it, so the menu and the keyboard share one path.
      const shortcut = shortcuts.find((entry) => entry.command === command);
      const contents = (BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0])?.webContents;
      if (!shortcut || !contents) return;
      const modifiers: ('control' | 'meta' | 'shift' | 'alt')[] = [];
      if (shortcut.mod) modifiers.push(process.platform === 'darwin' ? 'meta' : 'control');
      if (shortcut.shift) modifiers.push('shift');
      if (shortcut.alt) modifiers.push('alt');
      const keyCode = shortcut.key === 'escape' ? 'Escape' : shortcut.key.toUpperCase();
      contents.sendInputEvent({ type: 'keyDown', keyCode, modifiers });
      contents.sendInputEvent({ type: 'keyUp', keyCode, modifiers });
    },
    addToLibrary: (kind) => void chooseForLibrary(kind),
    importModel: () => void importModel(),
    // First-run setup (issue 10): the window resets it through the core and shows the welcome.
    runSetup() {
      const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      if (window && !window.isDestroyed())
        window.webContents.send(IpcChannel.command, { type: 'setup.open' });
    },
  };

  /**
   * Lets the user choose files or a folder, then hands the paths to the window, which adds them to the
   * collection it shows and opens the Library (the same path a drop takes).
   */
  async function chooseForLibrary(kind: 'files' | 'folder'): Promise<void> {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    if (!window) return;
    try {
      const chosen = await dialog.showOpenDialog(window, {
        title: kind === 'files' ? 'Add documents' : 'Add a folder',
        buttonLabel: 'Add to library',
        properties: kind === 'files' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
      });
      if (chosen.canceled || chosen.filePaths.length === 0 || window.isDestroyed()) return;
      window.webContents.send(IpcChannel.command, { type: 'library.addPaths', paths: chosen.filePaths });
    } catch (error) {
      showError('Could not add documents', error);
    }
  }

  /** File > Import model…: the core checks the header, hashes, refuses duplicates and copies it. */
  async function importModel(): Promise<void> {
    const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    const options = {
      title: 'Import a model',
      buttonLabel: 'Import',
      properties: ['openFile' as const],
      filters: [{ name: 'GGUF models', extensions: ['gguf'] }],
    };
    const picked = await (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options));
    const path = picked.filePaths[0];
    if (picked.canceled || !path) return;
    try {
      // The window hears of the new model through models.listChanged.
      await handlers['models.import']({ path, mode: 'copy' }, context());
    } catch (error) {
      showError('Could not import the model', error);
    }
  }

  let models: ModelEntry[] = [];
  let modelsProblem: string | undefined;
  let status: ModelStatus = { state: 'none', modelId: null };
  let running: Promise<void> | undefined;
  let pending: { relist: boolean } | undefined;

  function apply(): void {
    const template = buildMenuTemplate({
      appName: app.name,
      platform: process.platform,
      isDev,
      models,
      status,
      modelsProblem,
      actions,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
  }

  async function rebuild(relist: boolean): Promise<void> {
    const [listed, current] = await Promise.allSettled([
      relist ? handlers['models.list']({}, context()) : Promise.resolve(models),
      handlers['models.status']({}, context()),
    ]);
    if (listed.status === 'fulfilled') {
      models = listed.value;
      modelsProblem = undefined;
    } else {
      models = [];
      modelsProblem = serializeError(listed.reason).message;
    }
    if (current.status === 'fulfilled') status = current.value;
    apply();
  }

  /**
   * Rebuilds are coalesced: load progress can fire many models.changed events, and listing reads
   * every file's header, so at most one rebuild runs and one more waits.
   */
  function refresh(relist = true): Promise<void> {
    if (running) {
      pending = { relist: relist || (pending?.relist ?? false) };
      return running;
    }
    running = rebuild(relist)
      .catch((error: unknown) => console.error('Could not rebuild the menu:', error))
      .finally(() => {
        running = undefined;
        const next = pending;
        pending = undefined;
        if (next) void refresh(next.relist);
      });
    return running;
  }

  const unsubscribe = engine.onEvent((event, payload) => {
    if (event !== 'models.changed') return;
    // While a model loads only its progress moves: re-use the listing.
    const progressOnly =
      payload.status.state === 'loading' &&
      status.state === 'loading' &&
      payload.status.modelId === status.modelId;
    void refresh(!progressOnly);
  });
  // The folder may have new files when the user comes back to the window.
  const onFocus = () => void refresh(true);
  app.on('browser-window-focus', onFocus);

  return {
    refresh,
    dispose() {
      unsubscribe();
      app.off('browser-window-focus', onFocus);
      menuLoad?.abort();
    },
  };
}
