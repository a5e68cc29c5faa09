/**
 * Settings > Privacy and the offline badge: the privacy status (offline mode, debug logging, how many
 * connections Hearth made) and the network ledger, kept fresh from privacy.changed.
 */
import type { LedgerEntry, PrivacyStatus } from '../../../../electron/common/api/contract.js';
import { DELETE_DATA_CONFIRMATION } from '../../../../electron/common/api/contract.js';
import type { HearthClient } from '../../lib/api.js';

export class PrivacyState {
  status = $state.raw<PrivacyStatus | null>(null);
  ledger = $state.raw<readonly LedgerEntry[]>([]);
  problem = $state<string | null>(null);
  /** True while a change of offline mode or debug logging is on its way. */
  saving = $state(false);

  private readonly api: HearthClient;
  private ledgerWanted = false;

  constructor(api: HearthClient) {
    this.api = api;
  }

  get offline(): boolean {
    return this.status?.offline ?? false;
  }

  start(): () => void {
    void this.load();
    return this.api.on('privacy.changed', (status) => {
      this.status = status;
      if (this.ledgerWanted) void this.loadLedger();
    });
  }

  async load(): Promise<void> {
    try {
      this.status = await this.api.call('privacy.status', {});
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  /** The ledger is read only while the privacy screen shows it. */
  async watchLedger(): Promise<() => void> {
    this.ledgerWanted = true;
    await this.loadLedger();
    return () => (this.ledgerWanted = false);
  }

  async loadLedger(): Promise<void> {
    try {
      this.ledger = await this.api.call('privacy.ledger', { limit: 500 });
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  async set(patch: { offline?: boolean; debugLogging?: boolean }): Promise<void> {
    this.saving = true;
    try {
      this.status = await this.api.call('privacy.set', patch);
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    } finally {
      this.saving = false;
    }
  }

  /** Throws the core's error (e.g. a wrong confirmation) for the dialog to show. */
  deleteAllData(confirm: string, keepModels: boolean) {
    return this.api.call('privacy.deleteAllData', { confirm, keepModels });
  }
}

export { DELETE_DATA_CONFIRMATION };
