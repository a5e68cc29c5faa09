/** A small JSON state file written atomically (temp file + rename), writes serialized. */
import { readFile, rename, writeFile } from 'node:fs/promises';

export class JsonFile<T> {
  private writing: Promise<void> = Promise.resolve();
  private counter = 0;

  constructor(
    readonly path: string,
    private readonly fallback: () => T,
  ) {}

  async read(): Promise<T> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch {
      // Missing or torn (a crash mid-write cannot tear it, but a person editing it might): start clean.
      return this.fallback();
    }
  }

  write(value: T): Promise<void> {
    const text = JSON.stringify(value);
    const next = this.writing.then(async () => {
      const temp = `${this.path}.${process.pid}.${++this.counter}.tmp`;
      await writeFile(temp, text);
      await rename(temp, this.path);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  async flush(): Promise<void> {
    await this.writing;
  }
}
