/**
 * Many readers and writers share the tables; compaction (optimize) runs alone. LanceDB's native
 * side does not take an optimize() racing with queries and deletes well (the process died in tests).
 */
export class RwLock {
  private active = 0;
  private exclusiveRun: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async shared<T>(run: () => Promise<T>): Promise<T> {
    while (this.exclusiveRun) await this.exclusiveRun;
    this.active++;
    try {
      return await run();
    } finally {
      this.active--;
      if (this.active === 0) this.drained?.();
    }
  }

  async exclusive<T>(run: () => Promise<T>): Promise<T> {
    while (this.exclusiveRun) await this.exclusiveRun;
    let release!: () => void;
    this.exclusiveRun = new Promise<void>((resolve) => (release = resolve));
    try {
      while (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await run();
    } finally {
      this.drained = undefined;
      this.exclusiveRun = undefined;
      release();
    }
  }
}
