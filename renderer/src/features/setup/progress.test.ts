import { describe, expect, it } from 'vitest';
import type { DownloadInfo } from '../../../../electron/common/api/contract.js';
import { combinedProgress } from './progress.js';

function download(overrides: Partial<DownloadInfo>): DownloadInfo {
  return {
    id: 'd',
    source: 'chat',
    name: 'Chat',
    modelId: 'chat.gguf',
    state: 'downloading',
    receivedBytes: 0,
    bytesPerSecond: 0,
    ...overrides,
  };
}

describe('one progress bar for two downloads', () => {
  it('sums bytes, counting a download not yet answered at its expected size', () => {
    const progress = combinedProgress(
      [
        download({ id: 'a', source: 'chat', receivedBytes: 300, totalBytes: 1000, bytesPerSecond: 100 }),
        download({ id: 'b', source: 'embed', state: 'queued' }),
      ],
      { embed: 1000 },
    );
    expect(progress).toMatchObject({
      fraction: 0.15,
      receivedBytes: 300,
      totalBytes: 2000,
      state: 'downloading',
    });
    expect(progress.etaSeconds).toBe(17);
  });

  it('is done only when both are, verifying while the last one is checked, failed when one fails', () => {
    const done = download({ state: 'done', receivedBytes: 10, totalBytes: 10 });
    expect(combinedProgress([done, { ...done, id: 'b' }])).toMatchObject({ fraction: 1, state: 'done' });
    expect(combinedProgress([done, { ...done, id: 'b', state: 'verifying' }]).state).toBe('verifying');
    const failed = combinedProgress([
      done,
      download({
        id: 'b',
        state: 'failed',
        error: { code: 'DOWNLOAD_FAILED', message: 'The server answered 503.' },
      }),
    ]);
    expect(failed).toMatchObject({ state: 'failed', error: 'The server answered 503.' });
  });
});
