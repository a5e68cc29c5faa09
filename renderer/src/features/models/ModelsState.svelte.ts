/**
 * What the window knows about installed models: the app's folders, the models folder's contents, the
 * loaded model, and the model work this window started (a load with its progress, an import, a
 * deletion). Kept in step with the core through `models.changed` (the loaded model, also when the app
 * menu switches) and `models.listChanged` (the installed set).
 */
import type {
  AppInfo,
  AppSettings,
  LoraAdapter,
  ModelEntry,
  ModelFit,
  ModelStatus,
} from '../../../../electron/common/api/contract.js';
import { SvelteMap } from 'svelte/reactivity';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';
import { uploadModel } from '../../lib/upload.js';
import { modelDisplayName } from './format.js';

export interface LoadingModel {
  modelId: string;
  /** 0..1 */
  progress: number;
}

/** A load that waits for the user's yes: the model is estimated not to fit this machine. */
export interface LoadConfirmation {
  model: ModelEntry;
  fit: ModelFit;
}

export interface ImportJob {
  fileName: string;
  stage: 'uploading' | 'hashing' | 'copying';
  /** 0..1 within the stage. */
  progress: number;
}

/** A short, good-news line ("Imported …") shown until dismissed or replaced. */
export interface ModelsNotice {
  title: string;
  detail?: string;
}

function asRemoteError(error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RemoteError({ code: ErrorCode.Internal, name: 'Error', message });
}

export function isGgufName(name: string): boolean {
  return /\.gguf$/i.test(name);
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
  /** Set when a load waits for the user to confirm a model that will not fit. */
  confirmation = $state.raw<LoadConfirmation | null>(null);
  importing = $state.raw<ImportJob | null>(null);
  deleting = $state<string | null>(null);
  notice = $state.raw<ModelsNotice | null>(null);
  /** App-wide settings (idle unload); null until read, or when the core cannot say. */
  appSettings = $state.raw<AppSettings | null>(null);
  verifying = $state<string | null>(null);
  /** LoRA adapters attached to each model (from its settings), shown under it. */
  readonly adapters = new SvelteMap<string, readonly LoraAdapter[]>();

  usableModels = $derived(this.models.filter((model) => model.usable && model.kind !== 'adapter'));
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
  private importController: AbortController | null = null;

  constructor(api: HearthClient) {
    this.api = api;
  }

  /** The Reveal in folder action exists only in the desktop app (a browser cannot open a folder). */
  get canReveal(): boolean {
    return this.api.transportKind === 'bridge';
  }

  /** Subscribes to the core's changes; returns the unsubscribe function. */
  start(): () => void {
    const stopChanged = this.api.on('models.changed', ({ status }) => {
      const settled = status.state !== 'loading' || this.status.state !== 'loading';
      this.status = status;
      // Progress ticks change nothing in the listing; a finished load may (last used).
      if (settled) void this.refresh();
    });
    const stopListChanged = this.api.on('models.listChanged', () => void this.refresh());
    // After a dropped connection, catch up on what changed meanwhile.
    const stopConnection = this.api.onConnection((state) => {
      if (state === 'open' && this.ready) void this.refresh();
    });
    void this.refresh();
    return () => {
      stopChanged();
      stopListChanged();
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
      if (!this.appSettings) void this.readAppSettings();
      void this.readAdapters(models);
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Disconnected) this.error = remote;
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * The one switching action (picker, quick switcher, Models screen): a model estimated not to fit
   * waits for `confirmLoad()`; any other loads at once. The core unloads the current model first.
   */
  requestLoad(modelId: string): Promise<void> {
    const model = this.models.find((candidate) => candidate.id === modelId);
    if (model?.fit?.level === 'too-big') {
      this.confirmation = { model, fit: model.fit };
      return Promise.resolve();
    }
    return this.load(modelId);
  }

  confirmLoad(): Promise<void> {
    const pending = this.confirmation;
    this.confirmation = null;
    // The user accepted the estimate: the core then tries instead of refusing on its memory check.
    return pending ? this.load(pending.model.id, { force: true }) : Promise.resolve();
  }

  dismissConfirmation(): void {
    this.confirmation = null;
  }

  async load(modelId: string, options: { force?: boolean } = {}): Promise<void> {
    if (this.loading) return;
    const previous = this.status.state === 'loaded' ? this.status.modelId : null;
    const controller = new AbortController();
    this.loadController = controller;
    this.loading = { modelId, progress: 0 };
    this.error = null;
    try {
      this.status = await this.api.call(
        'models.load',
        options.force ? { modelId, force: true } : { modelId },
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
      await this.refreshStatus();
      if (remote.code !== ErrorCode.Cancelled) this.error = this.withRestoreNote(remote, previous);
    } finally {
      if (this.loadController === controller) this.loadController = null;
      this.loading = null;
    }
  }

  /** Progress of a load someone else started (a message reloading an idle-unloaded model). */
  noteLoadProgress(modelId: string, progress: number): void {
    if (this.status.state === 'loading' && this.status.modelId === modelId) {
      this.status = { ...this.status, progress };
    } else if (this.status.state !== 'loaded' || this.status.modelId !== modelId) {
      this.status = { state: 'loading', modelId, progress };
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

  /** Deletes the model's file(s); the core unloads it first when it is the loaded one. */
  async remove(modelId: string): Promise<boolean> {
    this.deleting = modelId;
    this.error = null;
    // Named before the call: models.listChanged may re-list (without it) before the call returns.
    const model = this.models.find((candidate) => candidate.id === modelId);
    try {
      await this.api.call('models.delete', { modelId });
      this.models = this.models.filter((candidate) => candidate.id !== modelId);
      this.notice = { title: `Deleted ${model ? modelDisplayName(model) : modelId}` };
      await this.refresh();
      return true;
    } catch (error) {
      this.error = asRemoteError(error);
      return false;
    } finally {
      this.deleting = null;
    }
  }

  async reveal(modelId: string): Promise<void> {
    try {
      await this.api.call('models.reveal', { modelId });
    } catch (error) {
      this.error = asRemoteError(error);
    }
  }

  /**
   * Imports a dropped or picked file: by its path in the desktop app, by uploading its bytes to the
   * headless host in a browser. Only one import runs at a time.
   */
  async importFile(file: File, path: string | null): Promise<void> {
    if (this.importing) return;
    if (!isGgufName(file.name)) {
      this.error = new RemoteError({
        code: ErrorCode.ModelInvalid,
        name: 'NotGguf',
        message: `${file.name} is not a .gguf file. Hearth imports GGUF models only.`,
      });
      return;
    }
    const controller = new AbortController();
    this.importController = controller;
    this.error = null;
    this.notice = null;
    this.importing = { fileName: file.name, stage: path ? 'hashing' : 'uploading', progress: 0 };
    try {
      const entry = path
        ? await this.api.call(
            'models.import',
            { path, mode: 'copy' },
            {
              signal: controller.signal,
              onEvent: (event) => {
                if (event.event === 'models.importProgress') {
                  this.importing = {
                    fileName: file.name,
                    stage: event.payload.stage,
                    progress: event.payload.progress,
                  };
                }
              },
            },
          )
        : await uploadModel(file, {
            signal: controller.signal,
            onProgress: (progress) => {
              // Once every byte is sent, the host hashes and copies: say so rather than sit at 100%.
              this.importing =
                progress >= 1
                  ? { fileName: file.name, stage: 'hashing', progress: 0 }
                  : { fileName: file.name, stage: 'uploading', progress };
            },
          });
      this.notice = { title: `Imported ${modelDisplayName(entry)}`, detail: entry.fileName };
      await this.refresh();
    } catch (error) {
      const remote = asRemoteError(error);
      if (remote.code !== ErrorCode.Cancelled) this.error = remote;
    } finally {
      if (this.importController === controller) this.importController = null;
      this.importing = null;
    }
  }

  cancelImport(): void {
    this.importController?.abort();
  }

  /** Keep the model loaded (0) or unload it after this many idle minutes. */
  async setIdleUnload(minutes: number): Promise<void> {
    try {
      this.appSettings = await this.api.call('settings.set', { idleUnloadMinutes: minutes });
    } catch (error) {
      this.error = asRemoteError(error);
    }
  }

  /** Re-hashes a model flagged as changed and, as the user asked, records the new hash as good. */
  async verify(modelId: string): Promise<void> {
    this.verifying = modelId;
    this.error = null;
    try {
      await this.api.call('models.verify', { modelId, accept: true });
      await this.refresh();
    } catch (error) {
      this.error = asRemoteError(error);
    } finally {
      this.verifying = null;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  dismissNotice(): void {
    this.notice = null;
  }

  private withRestoreNote(error: RemoteError, previous: string | null): RemoteError {
    if (!previous || this.status.state !== 'loaded' || this.status.modelId !== previous) return error;
    const model = this.models.find((candidate) => candidate.id === previous);
    const name = model ? modelDisplayName(model) : previous;
    return new RemoteError({
      code: error.code,
      name: error.name,
      message: `${error.message} ${name} is loaded again.`,
    });
  }

  /** Re-reads one model's attached adapters (after its settings were saved). */
  async refreshAdapters(modelId: string): Promise<void> {
    const model = this.models.find((candidate) => candidate.id === modelId);
    if (model) await this.readAdapters([model]);
  }

  private async readAdapters(models: readonly ModelEntry[]): Promise<void> {
    const loadable = models.filter((model) => model.usable && model.kind !== 'adapter');
    await Promise.all(
      loadable.map(async (model) => {
        try {
          const settings = await this.api.call('models.settings.get', { modelId: model.id });
          if (settings.loras.length > 0) this.adapters.set(model.id, settings.loras);
          else this.adapters.delete(model.id);
        } catch {
          // Settings unreadable: the list simply shows no adapters for it.
        }
      }),
    );
  }

  private async readAppSettings(): Promise<void> {
    try {
      this.appSettings = await this.api.call('settings.get', {});
    } catch {
      // Older cores have no app settings: the idle choice is simply not offered.
    }
  }

  private async refreshStatus(): Promise<void> {
    try {
      this.status = await this.api.call('models.status', {});
    } catch {
      // The connection is down; models.changed or the reconnect refresh will catch up.
    }
  }
}
