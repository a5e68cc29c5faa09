/**
 * Gives memory back when Hearth sits idle: after `minutes()` without model activity the loaded
 * model is unloaded (0 keeps it loaded). Activity (a load, a message) restarts the clock; while
 * an answer streams the timer is held off.
 */
export interface IdleUnloaderOptions {
  minutes: () => number;
  /** Unloads the model; called only when no work is running. */
  unload: () => Promise<void>;
  /** Milliseconds per "minute"; tests shorten it. */
  minuteMs?: number;
}

export class IdleUnloader {
  private timer: NodeJS.Timeout | undefined;
  private busy = 0;

  constructor(private readonly options: IdleUnloaderOptions) {}

  /** Something used the model now. */
  touch(): void {
    this.clear();
    const minutes = this.options.minutes();
    if (minutes <= 0 || this.busy > 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.busy === 0) void this.options.unload().catch(() => undefined);
      },
      minutes * (this.options.minuteMs ?? 60_000),
    );
    this.timer.unref();
  }

  /** Runs work that keeps the model in use; the idle clock starts again when it ends. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    this.clear();
    try {
      return await work();
    } finally {
      this.busy--;
      this.touch();
    }
  }

  /** No model loaded: nothing to time. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
