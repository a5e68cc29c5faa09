/**
 * The application menu as plain data: Hearth / File / Edit / View / Models / Help.
 * Pure (no Electron import) so it is unit-tested; menu.ts hands it to Menu.buildFromTemplate.
 */
import type { ModelEntry, ModelStatus } from '../common/api/contract.js';
import { shortcuts, type ShortcutCommand } from '../common/shortcuts.js';

/** The subset of Electron's menu roles this menu uses (assignable to MenuItemConstructorOptions). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

/** The subset of Electron's MenuItemConstructorOptions this menu uses. */
export interface MenuItemSpec {
  id?: string;
  label?: string;
  sublabel?: string;
  toolTip?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu' | 'radio';
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  /** False: show the accelerator but let the key reach the page, which handles it. */
  registerAccelerator?: boolean;
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export interface MenuActions {
  loadModel(modelId: string): void;
  unloadModel(): void;
  openModelsFolder(): void;
  openDataFolder(): void;
  openExternal(url: string): void;
  /** Asks the page to run a shortcut's command, as if its keys were pressed there. */
  runShortcut(command: ShortcutCommand): void;
  /** File > Add documents… / Add folder…: choose files or folders and add them to the library. */
  addToLibrary(kind: 'files' | 'folder'): void;
  /** Asks for a .gguf file and imports it into the models folder. */
  importModel(): void;
  /** Help > Run setup again (issue 10): the first-run welcome, in the focused window. */
  runSetup(): void;
}

export interface MenuState {
  appName: string;
  platform: string;
  /** Developer tools only while developing. */
  isDev: boolean;
  models: readonly ModelEntry[];
  status: ModelStatus;
  /** Set when the models folder could not be listed. */
  modelsProblem?: string;
  actions: MenuActions;
}

/** Where the Help menu sends people who have no model yet (allow-listed in navigationPolicy.ts). */
export const GET_MODELS_URL = 'https://huggingface.co/models?library=gguf';

const separator: MenuItemSpec = { type: 'separator' };

export function modelLabel(model: ModelEntry): string {
  const name = model.name?.trim() || model.fileName;
  return model.quantization ? `${name} (${model.quantization})` : name;
}

function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

function modelsMenu(state: MenuState): MenuItemSpec[] {
  const { models, status, actions } = state;
  const usable = models.filter((model) => model.usable);
  const unusable = models.filter((model) => !model.usable);
  const loading = status.state === 'loading';
  const items: MenuItemSpec[] = [];

  if (loading) {
    const name = models.find((model) => model.id === status.modelId);
    const percent = status.progress === undefined ? '' : ` ${Math.round(status.progress * 100)}%`;
    items.push(
      { label: `Loading ${name ? modelLabel(name) : 'model'}…${percent}`, enabled: false },
      separator,
    );
  }

  if (state.modelsProblem) {
    items.push({ label: `Cannot list models: ${state.modelsProblem}`, enabled: false });
  } else if (usable.length === 0) {
    items.push({ label: 'No models installed', enabled: false });
  }
  if (usable.length > 0) {
    // Electron checks the first item of a radio group that has none checked, so "no model" is an item.
    items.push({
      id: 'model:none',
      label: 'No model',
      type: 'radio',
      checked: status.state === 'none',
      enabled: !loading,
      click: () => {
        if (status.state !== 'none') actions.unloadModel();
      },
    });
  }
  for (const model of usable) {
    items.push({
      id: `model:${model.id}`,
      label: modelLabel(model),
      sublabel: formatSize(model.sizeBytes),
      toolTip: model.fileName,
      type: 'radio',
      checked: status.state !== 'none' && status.modelId === model.id,
      enabled: !loading,
      click: () => actions.loadModel(model.id),
    });
  }
  if (unusable.length > 0) {
    items.push(separator);
    for (const model of unusable) {
      items.push({
        id: `unusable:${model.id}`,
        label: `${model.fileName} (cannot be used)`,
        toolTip: model.problem,
        enabled: false,
      });
    }
  }

  items.push(
    separator,
    {
      id: 'models:unload',
      label: 'Unload model',
      enabled: status.state !== 'none',
      click: () => actions.unloadModel(),
    },
    {
      id: 'models:open-folder',
      label: 'Open models folder',
      click: () => actions.openModelsFolder(),
    },
  );
  return items;
}

function shortcutOf(command: ShortcutCommand) {
  const shortcut = shortcuts.find((entry) => entry.command === command);
  if (!shortcut) throw new Error(`No shortcut for ${command}`);
  return shortcut;
}

const acceleratorOf = (command: ShortcutCommand) => shortcutOf(command).accelerator;

/**
 * A menu item for one of the page's shortcuts. The page owns the key handling (shortcuts.ts), so the
 * accelerator is shown but not registered; a click asks the page to run the command.
 */
function shortcutItem(command: ShortcutCommand, actions: MenuActions): MenuItemSpec {
  const shortcut = shortcutOf(command);
  return {
    id: `chat:${command}`,
    label: shortcut.label,
    accelerator: shortcut.accelerator,
    registerAccelerator: false,
    click: () => actions.runShortcut(command),
  };
}

export function buildMenuTemplate(state: MenuState): MenuItemSpec[] {
  const isMac = state.platform === 'darwin';
  const { actions } = state;

  const appMenu: MenuItemSpec = {
    label: state.appName,
    submenu: isMac
      ? [
          { role: 'about' },
          separator,
          { role: 'services' },
          separator,
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          separator,
          { role: 'quit' },
        ]
      : [{ role: 'about' }, separator, { role: 'quit' }],
  };

  const fileMenu: MenuItemSpec = {
    label: 'File',
    submenu: [
      {
        id: 'file:add-documents',
        label: 'Add documents…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.addToLibrary('files'),
      },
      { id: 'file:add-folder', label: 'Add folder…', click: () => actions.addToLibrary('folder') },
      {
        // The keys reach the page (it opens its own file picker, as in a browser); a click here
        // picks the file with the system's dialog.
        id: 'file:import-model',
        label: 'Import model…',
        accelerator: acceleratorOf('importModel'),
        registerAccelerator: false,
        click: () => actions.importModel(),
      },
      separator,
      { id: 'file:open-data-folder', label: 'Open data folder', click: () => actions.openDataFolder() },
      separator,
      { role: 'close' },
    ],
  };

  const editMenu: MenuItemSpec = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } satisfies MenuItemSpec] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const viewMenu: MenuItemSpec = {
    label: 'View',
    submenu: [
      shortcutItem('toggleSidebar', actions),
      separator,
      { role: 'reload' },
      { role: 'forceReload' },
      ...(state.isDev ? [{ role: 'toggleDevTools' } satisfies MenuItemSpec] : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const helpMenu: MenuItemSpec = {
    label: 'Help',
    submenu: [
      {
        id: 'help:get-models',
        label: 'Find GGUF models…',
        click: () => actions.openExternal(GET_MODELS_URL),
      },
      { id: 'help:open-models-folder', label: 'Open models folder', click: () => actions.openModelsFolder() },
      // First-run setup (issue 10).
      separator,
      { id: 'help:run-setup', label: 'Run setup again…', click: () => actions.runSetup() },
    ],
  };

  const chatMenu: MenuItemSpec = {
    label: 'Chat',
    submenu: [
      shortcutItem('newChat', actions),
      shortcutItem('findInChats', actions),
      separator,
      shortcutItem('stop', actions),
      shortcutItem('regenerate', actions),
      separator,
      shortcutItem('switchModel', actions),
    ],
  };

  return [
    appMenu,
    fileMenu,
    editMenu,
    viewMenu,
    chatMenu,
    { label: 'Models', submenu: modelsMenu(state) },
    helpMenu,
  ];
}
