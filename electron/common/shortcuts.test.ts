import { describe, expect, it } from 'vitest';
import { matchShortcut, shortcuts } from './shortcuts.js';

const press = (
  key: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('shortcuts', () => {
  it('uses Ctrl on Windows and Linux, Cmd on macOS', () => {
    expect(matchShortcut(press('n', { ctrl: true }), false)).toBe('newChat');
    expect(matchShortcut(press('n', { meta: true }), true)).toBe('newChat');
    expect(matchShortcut(press('n', { meta: true }), false)).toBeNull();
    expect(matchShortcut(press('n', { ctrl: true }), true)).toBeNull();
  });

  it('tells shifted and plain keys apart, whatever the case', () => {
    expect(matchShortcut(press('F', { ctrl: true, shift: true }), false)).toBe('findInChats');
    expect(matchShortcut(press('f', { ctrl: true }), false)).toBeNull();
    expect(matchShortcut(press('S', { ctrl: true, shift: true }), false)).toBe('toggleSidebar');
    expect(matchShortcut(press('Escape'), false)).toBe('stop');
    expect(matchShortcut({ ...press('®', { meta: true, alt: true }), code: 'KeyR' }, true)).toBe(
      'regenerate',
    );
  });

  it('opens the quick switcher with Ctrl/Cmd+K and imports a model with Ctrl/Cmd+I', () => {
    expect(matchShortcut(press('k', { ctrl: true }), false)).toBe('switchModel');
    expect(matchShortcut(press('k', { meta: true }), true)).toBe('switchModel');
    expect(matchShortcut(press('K', { ctrl: true, shift: true }), false)).toBeNull();
    expect(matchShortcut(press('i', { ctrl: true }), false)).toBe('importModel');
    expect(matchShortcut(press('i', { meta: true }), true)).toBe('importModel');
    expect(matchShortcut(press('i', { ctrl: true, alt: true }), false)).toBeNull();
  });

  it('gives every command one distinct accelerator', () => {
    const accelerators = shortcuts.map((shortcut) => shortcut.accelerator);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });
});
