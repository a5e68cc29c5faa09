/** Whether first-run setup is done (finished or skipped), in <data>/setup.json (atomic writes). */
import { join } from 'node:path';
import { SetupStatus } from '../../common/api/contract.js';
import { JsonStore } from '../storage/jsonFile.js';

export const SETUP_FILE = 'setup.json';

export class SetupStore {
  private constructor(
    private readonly store: JsonStore<SetupStatus>,
    private current: SetupStatus,
  ) {}

  static async open(dataDir: string): Promise<SetupStore> {
    const store = new JsonStore<SetupStatus>(join(dataDir, SETUP_FILE));
    const parsed = SetupStatus.safeParse(await store.read());
    return new SetupStore(store, parsed.success ? parsed.data : { done: false });
  }

  status(): SetupStatus {
    return { ...this.current };
  }

  async complete(skipped = false): Promise<SetupStatus> {
    this.current = { done: true, completedAt: new Date().toISOString(), ...(skipped ? { skipped } : {}) };
    await this.store.save(this.current);
    return this.status();
  }

  async reset(): Promise<SetupStatus> {
    this.current = { done: false };
    await this.store.save(this.current);
    return this.status();
  }
}
