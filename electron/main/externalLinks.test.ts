import { describe, expect, it } from 'vitest';
import { createExternalLinkOpener, externalLinkPrompt, type ExternalLinkPrompt } from './externalLinks.js';

function setup(answer: boolean | (() => Promise<boolean>), offline = false) {
  const asked: ExternalLinkPrompt[] = [];
  const opened: string[] = [];
  const request = createExternalLinkOpener({
    confirm: (prompt) => {
      asked.push(prompt);
      return typeof answer === 'function' ? answer() : Promise.resolve(answer);
    },
    open: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    isOffline: () => offline,
  });
  return { asked, opened, request };
}

describe('opening links in the browser', () => {
  it('asks first, naming the site and the full address, and opens only after yes', async () => {
    const { asked, opened, request } = setup(true);
    expect(await request('https://huggingface.co/Qwen')).toBe('opened');
    expect(asked).toEqual([externalLinkPrompt('https://huggingface.co/Qwen')]);
    expect(asked[0]?.message).toBe('Open huggingface.co in your browser?');
    expect(asked[0]?.detail).toContain('https://huggingface.co/Qwen');
    expect(opened).toEqual(['https://huggingface.co/Qwen']);
  });

  it('opens nothing when the user declines', async () => {
    const { opened, request } = setup(false);
    expect(await request('https://example.org/')).toBe('declined');
    expect(opened).toEqual([]);
  });

  it.each(['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'x'])(
    'refuses %s without asking',
    async (url) => {
      const { asked, opened, request } = setup(true);
      expect(await request(url)).toBe('refused');
      expect(asked).toEqual([]);
      expect(opened).toEqual([]);
    },
  );

  it('refuses every link without asking in Offline mode', async () => {
    const { asked, request } = setup(true, true);
    expect(await request('https://example.org/')).toBe('refused');
    expect(asked).toEqual([]);
  });

  it('asks one question at a time: a burst of links while a dialog is open is dropped', async () => {
    let answer: (yes: boolean) => void = () => {};
    const { asked, opened, request } = setup(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const first = request('https://example.org/1');
    const burst = await Promise.all([request('https://example.org/2'), request('https://example.org/3')]);
    expect(burst).toEqual(['busy', 'busy']);
    answer(true);
    expect(await first).toBe('opened');
    expect(asked).toHaveLength(1);
    expect(opened).toEqual(['https://example.org/1']);
    // The next link after the answer is asked again.
    const next = request('https://example.org/4');
    answer(false);
    expect(await next).toBe('declined');
  });
});
