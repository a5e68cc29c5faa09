/** Settings › Updates: the opt-in switch, the releases feed, and the last check's answer. */
import type { UpdateCheck, UpdateSettings } from '../../../../electron/common/api/contract.js';
import { ErrorCode, RemoteError, type HearthClient } from '../../lib/api.js';

function message(error: unknown): string {
  if (error instanceof RemoteError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export class UpdatesState {
  settings = $state.raw<UpdateSettings | null>(null);
  result = $state.raw<UpdateCheck | null>(null);
  checking = $state(false);
  error = $state<string | null>(null);

  private readonly api: HearthClient;

  constructor(api: HearthClient) {
    this.api = api;
  }

  async load(): Promise<void> {
    try {
      this.settings = await this.api.call('updates.settings.get', {});
    } catch (error) {
      this.error = message(error);
    }
  }

  async set(patch: Partial<UpdateSettings>): Promise<void> {
    this.error = null;
    try {
      this.settings = await this.api.call('updates.settings.set', patch);
      if (patch.checkForUpdates === false) this.result = null;
    } catch (error) {
      this.error =
        error instanceof RemoteError && error.code === ErrorCode.BadRequest
          ? 'That is not a web address.'
          : message(error);
    }
  }

  /** Reads the releases feed once; nothing is downloaded. */
  async check(): Promise<void> {
    this.checking = true;
    this.error = null;
    try {
      this.result = await this.api.call('updates.check', {});
    } catch (error) {
      this.result = null;
      this.error = message(error);
    } finally {
      this.checking = false;
    }
  }
}
