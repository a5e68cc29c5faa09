/**
 * What the window knows about models: the app's folders, the models folder's contents, the
 * loaded model, and a load this window started (with its progress). Kept in step with the core
 * through `models.changed`, which also fires when the app menu switches models.
 */
import type { AppInfo, ModelEntry, ModelStatus } from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';

export interface LoadingModel {
  modelId: string;
  /** 0..1 */
  progress: number;
}

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export class ModelsState {
  info = $state.raw<AppInfo | null>(null);
  models = $state.raw<readonly ModelEntry[]>([]);
  status = $state.raw<ModelStatus>({ state: 'none', modelId: null });
  /** True once the first listing arrived, so empty states do not flash while it loads. */
  ready = $state(false);
  refreshing = $state(false);
  loading = $state.raw<LoadingModel | null>(null);
  error = $state.raw<RemoteError | null>(null);

  usableModels = $derived(this.models.filter((model) => model.usable));
  loadedModel = $derived(
    this.status.state === 'loaded'
      ? (this.models.find((model) => model.id === this.status.modelId) ?? null)
      : null,
  );
  /** The load in progress, whether this window or the app menu started it. */
  pendingLoad = $derived<LoadingModel | null>(
    this.loading ??
      (this.status.state === 'loading' && this.status.modelId
        ? { modelId: this.status.modelId, progress: this.status.progress ?? 0 }
        : null),
  );

  private readonly api: HearthClient;
  private loadController: AbortController | null = null;

  constructor(api: HearthClient) {
    this.api = api;
  }

  /** Subscribes to the core's changes; returns the unsubscribe function. */
  start(): () => void {
    const stopChanged = this.api.on('models.changed', ({ status }) => {
      this.status = status;
      void this.refresh();
    });
    // After a dropped connection, catch up on what changed meanwhile.
    const stopConnection = this.api.onConnection((state) => {
      if (state === 'open' && this.ready) void this.refresh();
    });
    void this.refresh();
    return () => {
      stopChanged();
      stopConnection();
    };
  }

  async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      const [info, models, status] = await Promise.all([
        this.info ? Promise.resolve(this.info) : this.api.call('app.info', {}),
        this.api.call('models.list', {}),
        this.api.call('models.status', {}),
      ]);
      this.info = info;
      this.models = models;
      this.status = status;
      this.ready = true;
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Disconnected) this.error = remote;
    } finally {
      this.refreshing = false;
    }
  }

  async load(modelId: string): Promise<void> {
    if (this.loading) return;
    const controller = new AbortController();
    this.loadController = controller;
    this.loading = { modelId, progress: 0 };
    this.error = null;
    try {
      this.status = await this.api.call(
        'models.load',
        { modelId },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.event === 'models.loadProgress') {
              this.loading = { modelId, progress: event.payload.progress };
            }
          },
        },
      );
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Cancelled) this.error = remote;
      await this.refreshStatus();
    } finally {
      if (this.loadController === controller) this.loadController = null;
      this.loading = null;
    }
  }

  cancelLoad(): void {
    this.loadController?.abort();
  }

  async unload(): Promise<void> {
    this.error = null;
    try {
      this.status = await this.api.call('models.unload', {});
    } catch (error) {
      this.error = asRemoteError(error);
    }
  }

  dismissError(): void {
    this.error = null;
  }

  private async refreshStatus(): Promise<void> {
    try {
      this.status = await this.api.call('models.status', {});
    } catch {
      // The connection is down; models.changed or the reconnect refresh will catch up.
    }
  }
}
