/**
 * The privacy layer around the core services (issue 7): it owns what must outlive them — the data
 * folder's permissions, the network gate with its policy and ledger, the privacy settings, the log —
 * and implements the `privacy.*` methods. "Delete all my data" disposes the services, empties the
 * data folder and builds them again, so every front keeps the same handlers and event stream and
 * the app stays usable.
 */
import { join } from 'node:path';
import {
  DELETE_DATA_CONFIRMATION,
  type PrivacyStatus,
  type NetworkPurpose,
} from '../../common/api/contract.js';
import type { Handlers } from '../../common/api/dispatch.js';
import type { BroadcastArgs, Engine, EngineEventListener, EngineOptions } from '../Engine.js';
import { ConfirmationRequiredError } from '../errors/index.js';
import { DEFAULT_HF_BASE } from '../models/downloads/sources.js';
import { CATALOG_ENV } from '../models/catalog/catalog.js';
import { createNetwork, type Network } from '../net/network.js';
import { modelsDirOf } from '../paths.js';
import { ensurePrivateDataDir, removeDataFolderContents } from './dataFolder.js';
import { createCoreLog, type CoreLog } from './log.js';
import { NetworkLedger } from './NetworkLedger.js';
import { createNetworkPolicy, DEFAULT_ALLOWED_HOSTS, withExtraHosts } from './networkPolicy.js';
import { PrivacySettingsStore } from './PrivacySettingsStore.js';

export const PRIVACY_DIR = 'privacy';

/** The methods this layer implements; the services implement every other one. */
export type PrivacyMethod = 'privacy.status' | 'privacy.ledger' | 'privacy.set' | 'privacy.deleteAllData';
export type ServiceHandlers = Omit<Handlers, PrivacyMethod>;

/** What the core services give (Engine.ts builds them); rebuilt after "delete all my data". */
export interface Services extends Omit<Engine, 'handlers' | 'privacy'> {
  readonly handlers: ServiceHandlers;
}

export interface ServicesOptions extends EngineOptions {
  network: Network;
  coreLog: CoreLog;
}

/** What the Electron shell reads for its own offline enforcement. */
export interface PrivacyControls {
  isOffline(): boolean;
  /** Called with the new value whenever offline mode changes; returns the unsubscribe function. */
  onOfflineChange(listener: (offline: boolean) => void): () => void;
}

/** Files the model library keeps beside the models folder: kept with the models. */
const MODEL_RECORDS = ['models.json'];

function hostOf(url: string | undefined): string[] {
  if (!url || !/^https?:\/\//i.test(url)) return [];
  try {
    return [new URL(url).hostname];
  } catch {
    return [];
  }
}

export async function openPrivateEngine(
  options: EngineOptions,
  createServices: (options: ServicesOptions) => Promise<Services>,
): Promise<Engine> {
  const dataDir = options.home;
  const env = options.env ?? process.env;
  await ensurePrivateDataDir(dataDir);
  const privacyDir = join(dataDir, PRIVACY_DIR);
  const ledger = await NetworkLedger.open(privacyDir);
  const settings = await PrivacySettingsStore.open(privacyDir);
  const log = createCoreLog(options.log, () => settings.get().debugLogging);

  const listeners = new Set<EngineEventListener>();
  const emit = (...args: BroadcastArgs) => {
    for (const listener of listeners) listener(...args);
  };
  const offlineListeners = new Set<(offline: boolean) => void>();
  const offlineChanged = (offline: boolean) => {
    for (const listener of offlineListeners) listener(offline);
    emit('privacy.changed', status());
  };

  /** The setting as on disk (another process may have changed it); tells listeners when it did. */
  async function refreshOffline(): Promise<boolean> {
    const before = settings.get().offline;
    const { offline } = await settings.refresh();
    if (offline !== before) offlineChanged(offline);
    return offline;
  }
  let lastRefresh = 0;

  const status = (): PrivacyStatus => ({
    ...settings.get(),
    connections: ledger.counts(),
    dataDir,
  });

  // The configured Hugging Face mirror and a remote catalog's host are allowed for their purpose:
  // they are set by whoever runs Hearth (an environment variable or an option), not by a web page.
  const hfBase = options.hfBase ?? (env.HEARTH_HF_BASE || DEFAULT_HF_BASE);
  const catalogSource = options.catalogSource ?? (env[CATALOG_ENV] || undefined);
  const extraHosts: Partial<Record<NetworkPurpose, string[]>> = {
    'model-download': hostOf(hfBase),
    'model-header': hostOf(hfBase),
    catalog: hostOf(catalogSource),
  };
  const network =
    options.network ??
    createNetwork({
      ledger,
      policy: createNetworkPolicy({
        isOffline: refreshOffline,
        allowedHosts: withExtraHosts(DEFAULT_ALLOWED_HOSTS, extraHosts),
      }),
      onRecorded: () => emit('privacy.changed', status()),
    });

  const servicesOptions: ServicesOptions = {
    ...options,
    network,
    coreLog: log,
    library: { ...options.library, log: options.library?.log ?? log.debug },
  };
  let services = await createServices(servicesOptions);
  let unsubscribe = services.onEvent((...args) => emit(...args));
  /** While the data is being deleted, every call waits for the new services. */
  let resetting: Promise<void> | undefined;

  async function deleteAllData(keepModels: boolean): Promise<{ removed: string[]; keptModels: boolean }> {
    unsubscribe();
    await services.dispose();
    await ledger.flush();
    const kept = settings.get();
    const keep = [
      ...(options.keepOnDelete ?? []),
      ...(keepModels ? [modelsDirOf(dataDir).slice(dataDir.length + 1), ...MODEL_RECORDS] : []),
    ];
    const removed = await removeDataFolderContents(dataDir, keep);
    await ledger.reset();
    // Offline mode stays as the user set it: deleting data must not quietly put the app back online.
    await settings.set({ offline: kept.offline, debugLogging: false });
    services = await createServices(servicesOptions);
    unsubscribe = services.onEvent((...args) => emit(...args));
    log.info(`hearth: deleted all data (${keepModels ? 'models kept' : 'models removed'})`);
    return { removed, keptModels: keepModels };
  }

  const privacyHandlers: Pick<Handlers, PrivacyMethod> = {
    'privacy.status': async () => {
      await settings.refresh();
      return status();
    },
    'privacy.ledger': async ({ limit }) => ledger.list(limit),
    'privacy.set': async (patch) => {
      const before = (await settings.refresh()).offline;
      const next = await settings.set(patch);
      if (next.offline !== before) offlineChanged(next.offline);
      else emit('privacy.changed', status());
      return status();
    },
    'privacy.deleteAllData': async ({ confirm, keepModels = false }) => {
      if (confirm.trim().toLowerCase() !== DELETE_DATA_CONFIRMATION) {
        throw new ConfirmationRequiredError(`Type "${DELETE_DATA_CONFIRMATION}" to delete all your data.`);
      }
      if (resetting) await resetting;
      const run = deleteAllData(keepModels);
      resetting = run.then(
        () => undefined,
        () => undefined,
      );
      const result = await run.finally(() => (resetting = undefined));
      emit('privacy.dataDeleted', { keptModels: keepModels });
      emit('privacy.changed', status());
      emit('models.listChanged', {});
      emit('conversations.changed', { conversationId: null });
      emit('presets.changed', {});
      emit('library.changed', { reason: 'data-deleted' });
      return result;
    },
  };

  // Each service method goes to the services of the moment (they are rebuilt after a delete).
  const handlers = { ...privacyHandlers } as Record<
    string,
    (params: unknown, call: never) => Promise<unknown>
  >;
  for (const name of Object.keys(services.handlers)) {
    handlers[name] = async (params, call) => {
      if (resetting) await resetting;
      const handler = (services.handlers as Record<string, (p: unknown, c: unknown) => Promise<unknown>>)[
        name
      ];
      if (!handler) throw new Error(`No handler for ${name}`);
      return handler(params, call);
    };
  }

  return {
    handlers: handlers as unknown as Handlers,
    dataDir,
    get modelsDir() {
      return services.modelsDir;
    },
    get libraryUploadsDir() {
      return services.libraryUploadsDir;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    loadModelFile: (path, loadOptions) => services.loadModelFile(path, loadOptions),
    // The local API's server holds this object for the app's lifetime; it forwards to the service of
    // the moment, which "Delete all my data" rebuilds with the rest.
    localApi: new Proxy({} as Services['localApi'], {
      get: (_target, property) => {
        const current = services.localApi;
        const value: unknown = Reflect.get(current, property, current);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
      },
    }),
    privacy: {
      isOffline: () => {
        // Synchronous for the shell's request filter: the value in memory now, refreshed from disk in
        // the background (at most once a second) so a change made by the CLI reaches it too.
        if (Date.now() - lastRefresh > 1000) {
          lastRefresh = Date.now();
          void refreshOffline().catch(() => undefined);
        }
        return settings.get().offline;
      },
      onOfflineChange(listener) {
        offlineListeners.add(listener);
        return () => offlineListeners.delete(listener);
      },
    },
    async dispose() {
      if (resetting) await resetting;
      unsubscribe();
      await services.dispose();
      await ledger.flush();
      listeners.clear();
      offlineListeners.clear();
    },
  };
}
