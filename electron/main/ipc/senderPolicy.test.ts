import { describe, expect, it } from 'vitest';
import { appOrigins } from '../origins.js';
import { checkSender, type FrameLike } from './senderPolicy.js';

const origins = appOrigins();
const frame = (url: string, processId = 4, routingId = 1): FrameLike => ({ url, processId, routingId });

describe('checkSender', () => {
  it('accepts the main frame of the app page', () => {
    const main = frame('app://hearth/index.html');
    expect(checkSender(main, main, origins)).toEqual({ ok: true });
  });

  it('accepts an equal main frame object (same process and routing id)', () => {
    expect(checkSender(frame('app://hearth/index.html#x'), frame('app://hearth/'), origins).ok).toBe(true);
  });

  it('refuses a missing sender frame', () => {
    const main = frame('app://hearth/index.html');
    expect(checkSender(null, main, origins).ok).toBe(false);
    expect(checkSender(undefined, main, origins).ok).toBe(false);
  });

  it('refuses an app-origin subframe', () => {
    const main = frame('app://hearth/index.html');
    const iframe = frame('app://hearth/other.html', 4, 7);
    expect(checkSender(iframe, main, origins)).toMatchObject({ ok: false, reason: /main frame/ });
  });

  it('refuses a main frame showing another origin', () => {
    for (const url of [
      'https://evil.example/',
      'app://evil/index.html',
      'file:///home/user/index.html',
      'http://localhost:5173/',
      'about:blank',
      '',
    ]) {
      const main = frame(url);
      expect(checkSender(main, main, origins)).toMatchObject({ ok: false, reason: /own page/ });
    }
  });

  it('accepts the dev server origin only when it is configured', () => {
    const main = frame('http://localhost:5173/');
    expect(checkSender(main, main, appOrigins('http://localhost:5173')).ok).toBe(true);
    expect(checkSender(main, main, origins).ok).toBe(false);
  });

  it('refuses when the window has no main frame', () => {
    expect(checkSender(frame('app://hearth/'), null, origins).ok).toBe(false);
  });
});
