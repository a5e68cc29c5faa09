import { describe, expect, it } from 'vitest';
import { LOCKED_WEB_PREFERENCES } from './webPreferences.js';

describe('the locked webPreferences', () => {
  it('sandbox and isolation on, Node off everywhere, no webviews, no insecure content', () => {
    expect(LOCKED_WEB_PREFERENCES).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
    expect(LOCKED_WEB_PREFERENCES.disableBlinkFeatures.split(',')).toContain('Auxclick');
  });
});
