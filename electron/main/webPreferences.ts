/**
 * The webPreferences every Hearth window gets (Electron's security checklist). Pure data, no Electron
 * import, so a unit test pins each value and the Electron e2e test compares a live window against it.
 */
export const LOCKED_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  // No spell-checker: its dictionaries are downloaded from Google.
  spellcheck: false,
  // Middle-click opens no new window; repeated dialogs can be silenced by the user.
  disableBlinkFeatures: 'Auxclick',
  safeDialogs: true,
  navigateOnDragDrop: false,
} as const;

export type LockedWebPreferences = typeof LOCKED_WEB_PREFERENCES & { preload: string };

/** Identity, typed: a window's preferences must hold every locked value, exactly. */
export function lockedWebPreferences(preferences: LockedWebPreferences): LockedWebPreferences {
  return preferences;
}
