/**
 * The app's keyboard shortcuts, in one table: the renderer matches key presses against it, and the
 * Electron menu shows the same accelerators (without registering them, so the key still reaches
 * the page and one handler serves both the keyboard and the menu).
 */
export type ShortcutCommand =
  'newChat' | 'findInChats' | 'stop' | 'regenerate' | 'switchModel' | 'importModel' | 'toggleSidebar';

export interface Shortcut {
  command: ShortcutCommand;
  label: string;
  /** Electron accelerator syntax. */
  accelerator: string;
  /** The key as KeyboardEvent.key reports it, lower-cased. */
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

export const shortcuts: readonly Shortcut[] = [
  {
    command: 'newChat',
    label: 'New chat',
    accelerator: 'CmdOrCtrl+N',
    key: 'n',
    mod: true,
    shift: false,
    alt: false,
  },
  {
    command: 'findInChats',
    label: 'Find in chats',
    accelerator: 'CmdOrCtrl+Shift+F',
    key: 'f',
    mod: true,
    shift: true,
    alt: false,
  },
  {
    command: 'stop',
    label: 'Stop',
    accelerator: 'Escape',
    key: 'escape',
    mod: false,
    shift: false,
    alt: false,
  },
  {
    command: 'regenerate',
    label: 'Regenerate',
    accelerator: 'CmdOrCtrl+Alt+R',
    key: 'r',
    mod: true,
    shift: false,
    alt: true,
  },
  {
    // The quick switcher; it works from anywhere, the message box included.
    command: 'switchModel',
    label: 'Switch model…',
    accelerator: 'CmdOrCtrl+K',
    key: 'k',
    mod: true,
    shift: false,
    alt: false,
  },
  {
    command: 'importModel',
    label: 'Import model…',
    accelerator: 'CmdOrCtrl+I',
    key: 'i',
    mod: true,
    shift: false,
    alt: false,
  },
  {
    command: 'toggleSidebar',
    label: 'Toggle sidebar',
    accelerator: 'CmdOrCtrl+Shift+S',
    key: 's',
    mod: true,
    shift: true,
    alt: false,
  },
];

export interface KeyPress {
  key: string;
  /** The physical key (KeyboardEvent.code), used when Alt changes `key` (macOS). */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The command a key press asks for. `mac`: Cmd is the modifier there, Ctrl elsewhere. */
export function matchShortcut(press: KeyPress, mac: boolean): ShortcutCommand | null {
  const mod = mac ? press.metaKey : press.ctrlKey;
  const other = mac ? press.ctrlKey : press.metaKey;
  if (other) return null;
  const key = press.key.toLowerCase();
  const codeKey = press.code?.startsWith('Key') ? press.code.slice(3).toLowerCase() : null;
  for (const shortcut of shortcuts) {
    if (shortcut.mod !== mod || shortcut.shift !== press.shiftKey || shortcut.alt !== press.altKey) continue;
    if (shortcut.key === key || shortcut.key === codeKey) return shortcut.command;
  }
  return null;
}
