/** The last requests the local API answered, newest last, for Settings > Local API. */
import type { LocalApiLogEntry } from '../../common/api/contract.js';

export const REQUEST_LOG_SIZE = 200;

export class RequestLog {
  private readonly entries: LocalApiLogEntry[] = [];

  constructor(private readonly size = REQUEST_LOG_SIZE) {}

  add(entry: LocalApiLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  list(): LocalApiLogEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }
}
