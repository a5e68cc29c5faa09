/**
 * The Discover tab's state: the curated catalog, this machine's hardware, each entry's fit (read from
 * the remote file's header by the core, one at a time and only when asked), and the downloads with
 * their live progress from `downloads.changed`.
 */
import type {
  CatalogEntry,
  CatalogQuantization,
  DownloadInfo,
  HardwareInfo,
  ModelFit,
} from '../../../../electron/common/api/contract.js';
import { SvelteMap } from 'svelte/reactivity';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';

export type FitResult =
  { state: 'checking' } | { state: 'known'; fit: ModelFit } | { state: 'unknown'; reason: string };

/** Downloads still moving or waiting for the user. */
const activeStates = new Set<DownloadInfo['state']>(['queued', 'downloading', 'paused', 'verifying']);

export function isActiveDownload(download: DownloadInfo): boolean {
  return activeStates.has(download.state);
}

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export function recommendedQuantization(entry: CatalogEntry): CatalogQuantization {
  return entry.quantizations.find((quant) => quant.name === entry.recommended) ?? entry.quantizations[0]!;
}

export class CatalogState {
  entries = $state.raw<readonly CatalogEntry[]>([]);
  hardware = $state.raw<HardwareInfo | null>(null);
  /** Keyed by download id; replaced per event (a few per second at most, throttled by the core). */
  readonly downloads = new SvelteMap<string, DownloadInfo>();
  /** Keyed by `${entryId}/${quantization}`. */
  readonly fits = new SvelteMap<string, FitResult>();
  ready = $state(false);
  error = $state.raw<RemoteError | null>(null);

  private readonly api: HearthClient;
  private fitQueue: Promise<void> = Promise.resolve();
  private started = false;

  constructor(api: HearthClient) {
    this.api = api;
  }

  /** Subscribes to download events; the catalog itself is read on the first `open()`. */
  start(): () => void {
    const stopDownloads = this.api.on('downloads.changed', (download) => this.putDownload(download));
    const stopConnection = this.api.onConnection((state) => {
      if (state === 'open' && this.started) void this.refreshDownloads();
    });
    void this.refreshDownloads();
    return () => {
      stopDownloads();
      stopConnection();
    };
  }

  /** Reads the catalog and the hardware once, then checks each entry's fit in the background. */
  async open(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      const [entries, hardware] = await Promise.all([
        this.api.call('catalog.list', {}),
        this.api.call('hardware.info', {}).catch(() => null),
      ]);
      this.entries = entries;
      this.hardware = hardware;
      this.ready = true;
      for (const entry of entries) void this.checkFit(entry.id, entry.recommended);
    } catch (error) {
      this.started = false;
      this.error = asRemoteError(error);
    }
  }

  fitOf(entryId: string, quantization: string): FitResult | undefined {
    return this.fits.get(`${entryId}/${quantization}`);
  }

  /** The newest download of this catalog entry, if any. */
  downloadFor(entryId: string): DownloadInfo | undefined {
    let found: DownloadInfo | undefined;
    for (const download of this.downloads.values()) {
      if (download.source === entryId || download.source.startsWith(`${entryId}@`)) found = download;
    }
    return found;
  }

  /** Fit checks read remote headers over the network: one at a time, each once. */
  checkFit(entryId: string, quantization: string): Promise<void> {
    const key = `${entryId}/${quantization}`;
    // Already asked: the queue's tail settles after it.
    if (this.fits.has(key)) return this.fitQueue;
    this.setFit(key, { state: 'checking' });
    this.fitQueue = this.fitQueue.then(async () => {
      try {
        const fit = await this.api.call('catalog.fit', { entryId, quantization });
        this.setFit(key, { state: 'known', fit });
      } catch (error) {
        this.setFit(key, { state: 'unknown', reason: asRemoteError(error).message });
      }
    });
    return this.fitQueue;
  }

  async download(entryId: string, quantization?: string): Promise<void> {
    await this.act(() => this.api.call('downloads.start', { source: entryId, quantization }));
  }

  async pause(downloadId: string): Promise<void> {
    await this.act(() => this.api.call('downloads.pause', { downloadId }));
  }

  async resume(downloadId: string): Promise<void> {
    await this.act(() => this.api.call('downloads.resume', { downloadId }));
  }

  async cancel(downloadId: string): Promise<void> {
    await this.act(() => this.api.call('downloads.cancel', { downloadId }));
  }

  /** Forgets finished, failed and cancelled downloads. */
  async clearFinished(): Promise<void> {
    try {
      this.replaceDownloads(await this.api.call('downloads.clear', {}));
    } catch (error) {
      this.error = asRemoteError(error);
    }
  }

  dismissError(): void {
    this.error = null;
  }

  private async act(call: () => Promise<DownloadInfo>): Promise<void> {
    this.error = null;
    try {
      this.putDownload(await call());
    } catch (error) {
      this.error = asRemoteError(error);
    }
  }

  private putDownload(download: DownloadInfo): void {
    this.downloads.set(download.id, download);
  }

  private replaceDownloads(list: readonly DownloadInfo[]): void {
    this.downloads.clear();
    for (const download of list) this.downloads.set(download.id, download);
  }

  private setFit(key: string, result: FitResult): void {
    this.fits.set(key, result);
  }

  private async refreshDownloads(): Promise<void> {
    try {
      this.replaceDownloads(await this.api.call('downloads.list', {}));
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Disconnected) this.error = remote;
    }
  }
}
