/**
 * One progress bar for several downloads: bytes received over bytes expected, summed. A download
 * whose size the server has not told yet counts with the size setup expected for it, so the bar
 * never jumps backwards when the second download starts answering.
 */
import type { DownloadInfo } from '../../../../electron/common/api/contract.js';

export interface CombinedProgress {
  /** 0..1 */
  fraction: number;
  receivedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  /** Seconds left at the current speed, when it is known. */
  etaSeconds?: number;
  state: 'downloading' | 'paused' | 'verifying' | 'done' | 'failed';
  /** The first failed download's message. */
  error?: string;
}

export function combinedProgress(
  downloads: readonly DownloadInfo[],
  /** Expected sizes by download source (the catalog id). */
  expectedBytes: Readonly<Record<string, number>> = {},
): CombinedProgress {
  let received = 0;
  let total = 0;
  let speed = 0;
  for (const download of downloads) {
    const size = download.totalBytes ?? expectedBytes[download.source] ?? download.receivedBytes;
    total += size;
    received += download.state === 'done' ? size : Math.min(download.receivedBytes, size);
    if (download.state === 'downloading') speed += download.bytesPerSecond;
  }
  const failed = downloads.find((download) => download.state === 'failed' || download.state === 'cancelled');
  const all = (states: DownloadInfo['state'][]) =>
    downloads.every((download) => states.includes(download.state));
  const state: CombinedProgress['state'] = failed
    ? 'failed'
    : all(['done'])
      ? 'done'
      : all(['done', 'verifying'])
        ? 'verifying'
        : downloads.some((download) => download.state === 'paused') &&
            !downloads.some((d) => d.state === 'downloading')
          ? 'paused'
          : 'downloading';
  const left = Math.max(0, total - received);
  return {
    fraction: total > 0 ? Math.min(1, received / total) : state === 'done' ? 1 : 0,
    receivedBytes: received,
    totalBytes: total,
    bytesPerSecond: speed,
    ...(speed > 0 ? { etaSeconds: Math.ceil(left / speed) } : {}),
    state,
    ...(failed ? { error: failed.error?.message ?? `${failed.name} was ${failed.state}.` } : {}),
  };
}
