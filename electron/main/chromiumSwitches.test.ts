import { describe, expect, it } from 'vitest';
import { applyChromiumSwitches, CHROMIUM_SWITCHES, SPELLCHECK_DICTIONARY_URL } from './chromiumSwitches.js';

describe("Chromium's own traffic", () => {
  it('switches off background networking, component updates, DNS prefetch and pings', () => {
    const appended: string[] = [];
    applyChromiumSwitches({
      appendSwitch: (name, value) => appended.push(value === undefined ? name : `${name}=${value}`),
    });
    expect(appended).toEqual(
      expect.arrayContaining([
        'disable-background-networking',
        'disable-component-update',
        'disable-domain-reliability',
        'dns-prefetch-disable',
        'no-pings',
      ]),
    );
    expect(appended).toHaveLength(CHROMIUM_SWITCHES.length);
    const features = appended.find((entry) => entry.startsWith('disable-features='));
    expect(features?.split('=')[1]?.split(',')).toContain('NetworkPrediction');
  });

  it('points spell-checker dictionary downloads at a closed loopback port', () => {
    const url = new URL(SPELLCHECK_DICTIONARY_URL);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe('9');
  });
});
