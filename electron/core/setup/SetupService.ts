/**
 * First-run setup and update checks behind the contract: whether setup is done, recommendations for
 * this machine, other apps' model folders, and the opt-in update check. Its parts are passed in.
 */
import type {
  CatalogEntry,
  DetectedFolder,
  HardwareInfo,
  SetupRecommendations,
  SetupStatus,
  UpdateCheck,
  UpdateSettings,
} from '../../common/api/contract.js';
import { InvalidOperationError } from '../errors/index.js';
import type { Network } from '../net/network.js';
import { checkForUpdate } from '../updates/checkForUpdate.js';
import type { UpdateSettingsStore } from '../updates/UpdateSettingsStore.js';
import type { FolderCandidate } from './modelFolders.js';
import { recommendModels, type FitEstimator } from './recommend.js';
import { scanModelFolders } from './scanFolders.js';
import type { SetupStore } from './SetupStore.js';

export interface SetupServiceOptions {
  store: SetupStore;
  updateSettings: UpdateSettingsStore;
  network: Network;
  version: string;
  catalog: () => Promise<CatalogEntry[]>;
  hardware: () => Promise<HardwareInfo>;
  fit: FitEstimator;
  /** Sources recorded for installed models (catalog ids, `link:<path>`, `import:<path>`). */
  installedSources: () => string[];
  /** The other apps' folders to look in (injectable: tests build fake layouts). */
  modelFolders: () => FolderCandidate[];
}

export class SetupService {
  constructor(private readonly options: SetupServiceOptions) {}

  status(): SetupStatus {
    return this.options.store.status();
  }

  complete(skipped?: boolean): Promise<SetupStatus> {
    return this.options.store.complete(skipped);
  }

  reset(): Promise<SetupStatus> {
    return this.options.store.reset();
  }

  async recommend(signal?: AbortSignal): Promise<SetupRecommendations> {
    const [catalog, hardware] = await Promise.all([this.options.catalog(), this.options.hardware()]);
    return recommendModels(
      { catalog, hardware, fit: this.options.fit, installed: new Set(this.options.installedSources()) },
      signal,
    );
  }

  detect(signal?: AbortSignal): Promise<DetectedFolder[]> {
    const linked = new Set(
      this.options
        .installedSources()
        .filter((source) => source.startsWith('link:') || source.startsWith('import:'))
        .map((source) => source.slice(source.indexOf(':') + 1)),
    );
    return scanModelFolders(this.options.modelFolders(), linked, signal);
  }

  updateSettings(): UpdateSettings {
    return this.options.updateSettings.get();
  }

  setUpdateSettings(patch: Partial<UpdateSettings>): Promise<UpdateSettings> {
    return this.options.updateSettings.set(patch);
  }

  /** Only when the user turned checks on: nothing leaves the machine otherwise. */
  async checkForUpdate(signal?: AbortSignal): Promise<UpdateCheck> {
    const settings = this.options.updateSettings.get();
    if (!settings.checkForUpdates) {
      throw new InvalidOperationError(
        'Update checks are off. Turn them on in Settings to check for a new version.',
      );
    }
    return checkForUpdate(this.options.network, settings.releasesUrl, this.options.version, signal);
  }
}
