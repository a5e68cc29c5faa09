/**
 * First-run setup in the window: whether to show it, its steps (welcome with this machine, the
 * recommended models and their one combined download, models other apps already have, ready), and
 * everything it asked of the core. Every step can be skipped; finishing or skipping is remembered
 * by the core (setup.complete), "Run setup again" asks for it anew (setup.reset).
 */
import type {
  DetectedFolder,
  DetectedModel,
  DownloadInfo,
  HardwareInfo,
  SetupRecommendation,
  SetupRecommendations,
} from '../../../../electron/common/api/contract.js';
import { SvelteMap } from 'svelte/reactivity';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';
import { combinedProgress, type CombinedProgress } from './progress.js';
import { UpdatesState } from './UpdatesState.svelte.js';

export const SETUP_STEPS = ['welcome', 'models', 'existing', 'ready'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export type ImportState = { state: 'importing' } | { state: 'done' } | { state: 'failed'; message: string };

export class SetupState {
  /** Shown while setup is not done (first run) or after "Run setup again". */
  open = $state(false);
  step = $state<SetupStep>('welcome');
  /** This machine (no network: the OS and node-llama-cpp). */
  hardware = $state.raw<HardwareInfo | null>(null);
  recommendations = $state.raw<SetupRecommendations | null>(null);
  recommending = $state(false);
  detected = $state.raw<readonly DetectedFolder[] | null>(null);
  detecting = $state(false);
  error = $state.raw<RemoteError | null>(null);
  /** The downloads the one-click button started (chat, embedding), by id. */
  readonly downloads = new SvelteMap<string, DownloadInfo>();
  /** Set when setup was finished in this window: the chat shows the drag-in hint until dismissed. */
  showDragHint = $state(false);
  /** Imports by reference, keyed by the source path. */
  readonly imports = new SvelteMap<string, ImportState>();

  /** Settings › Updates (opt-in checks); lives here so one object serves the setup feature. */
  readonly updates: UpdatesState;

  private readonly api: HearthClient;

  constructor(api: HearthClient) {
    this.api = api;
    this.updates = new UpdatesState(api);
  }

  /** Asks the core whether setup is done; shows the welcome when it is not. */
  start(): () => void {
    const stop = this.api.on('downloads.changed', (download) => {
      if (this.downloads.has(download.id)) this.downloads.set(download.id, download);
    });
    void this.api
      .call('setup.status', {})
      .then((status) => {
        if (!status.done) this.show();
      })
      .catch(() => undefined);
    return stop;
  }

  /**
   * Opens at the welcome and reads this machine. Recommendations read a few catalog files' headers
   * over the network, so they wait for the user's Continue.
   */
  show(): void {
    this.open = true;
    this.step = 'welcome';
    this.error = null;
    void this.api
      .call('hardware.info', {})
      .then((hardware) => (this.hardware = hardware))
      .catch((error: unknown) => (this.error = asRemoteError(error)));
  }

  /** "Run setup again" (menu, Settings): asked for on the next start too, until finished or skipped. */
  async runAgain(): Promise<void> {
    await this.api.call('setup.reset', {}).catch(() => undefined);
    this.recommendations = null;
    this.detected = null;
    this.show();
  }

  go(step: SetupStep): void {
    this.step = step;
    if (step === 'models' && !this.recommendations && !this.recommending) void this.recommend();
    if (step === 'existing' && this.detected === null && !this.detecting) void this.detect();
  }

  async recommend(): Promise<void> {
    this.recommending = true;
    try {
      this.recommendations = await this.api.call('setup.recommend', {});
    } catch (error) {
      this.error = asRemoteError(error);
    } finally {
      this.recommending = false;
    }
  }

  async detect(): Promise<void> {
    this.detecting = true;
    try {
      this.detected = await this.api.call('setup.detect', {});
    } catch (error) {
      this.error = asRemoteError(error);
      this.detected = [];
    } finally {
      this.detecting = false;
    }
  }

  /** The picks that still need downloading. */
  get toDownload(): SetupRecommendation[] {
    const picks = [this.recommendations?.chat, this.recommendations?.embedding];
    return picks.filter((pick): pick is SetupRecommendation => !!pick && !pick.installed);
  }

  /** One click: both downloads start, one bar shows them together. */
  async downloadRecommended(): Promise<void> {
    this.error = null;
    for (const pick of this.toDownload) {
      try {
        const download = await this.api.call('downloads.start', {
          source: pick.entryId,
          quantization: pick.quantization,
        });
        this.downloads.set(download.id, download);
      } catch (error) {
        this.error = asRemoteError(error);
      }
    }
  }

  get progress(): CombinedProgress | null {
    if (this.downloads.size === 0) return null;
    const expected = Object.fromEntries(this.toDownload.map((pick) => [pick.entryId, pick.sizeBytes]));
    return combinedProgress([...this.downloads.values()], expected);
  }

  async cancelDownloads(): Promise<void> {
    for (const download of this.downloads.values()) {
      if (download.state === 'done' || download.state === 'cancelled' || download.state === 'failed')
        continue;
      await this.api.call('downloads.cancel', { downloadId: download.id }).catch(() => undefined);
    }
    this.downloads.clear();
  }

  /** Links the file into the models folder (no copy), under the name setup proposed. */
  async importByReference(model: DetectedModel): Promise<void> {
    this.imports.set(model.path, { state: 'importing' });
    try {
      await this.api.call('models.import', { path: model.path, mode: 'link', name: model.importName });
      this.imports.set(model.path, { state: 'done' });
    } catch (error) {
      this.imports.set(model.path, { state: 'failed', message: asRemoteError(error).message });
    }
  }

  /** The model id the chat should start with: the recommended chat model once it is installed. */
  get chatModelId(): string | null {
    const chat = this.recommendations?.chat;
    if (!chat) return null;
    const finished = [...this.downloads.values()].find(
      (download) => download.source === chat.entryId && download.state === 'done',
    );
    return finished?.modelId ?? null;
  }

  /** Finished (or skipped): remembered by the core, the window shows the chat. */
  async finish(skipped = false): Promise<void> {
    this.open = false;
    this.showDragHint = !skipped;
    await this.api.call('setup.complete', skipped ? { skipped } : {}).catch((error: unknown) => {
      this.error = asRemoteError(error);
    });
  }
}
