/** Collections (named groups of documents), kept in <data>/library/collections.json. */
import { randomUUID } from 'node:crypto';
import { CollectionExistsError } from '../errors/CollectionExistsError.js';
import { NotFoundError } from '../errors/NotFoundError.js';
import { JsonFile } from './JsonFile.js';

export interface CollectionRecord {
  id: string;
  name: string;
  createdAt: string;
  /** Grounded answers: set on a chat's own collection (files dropped into that chat). */
  ownerConversationId?: string;
}

export const DEFAULT_COLLECTION = 'Library';

export class Collections {
  private records: CollectionRecord[] = [];

  private constructor(private readonly file: JsonFile<CollectionRecord[]>) {}

  static async open(path: string): Promise<Collections> {
    const file = new JsonFile<CollectionRecord[]>(path, () => []);
    const collections = new Collections(file);
    collections.records = await file.read();
    return collections;
  }

  list(): CollectionRecord[] {
    return [...this.records];
  }

  /** By id, or by name (case-insensitive). */
  find(ref: string): CollectionRecord | undefined {
    const lower = ref.trim().toLowerCase();
    return this.records.find((c) => c.id === ref) ?? this.records.find((c) => c.name.toLowerCase() === lower);
  }

  get(ref: string): CollectionRecord {
    const found = this.find(ref);
    if (!found) throw new NotFoundError(`No collection "${ref}".`);
    return found;
  }

  async create(name: string, ownerConversationId?: string): Promise<CollectionRecord> {
    const clean = name.trim();
    if (this.find(clean)) throw new CollectionExistsError(`A collection named "${clean}" already exists.`);
    const record: CollectionRecord = {
      id: randomUUID(),
      name: clean,
      createdAt: new Date().toISOString(),
      ...(ownerConversationId ? { ownerConversationId } : {}),
    };
    this.records.push(record);
    await this.file.write(this.records);
    return record;
  }

  /** The collection a ref names, created when it is a new name. */
  async ensure(ref: string | undefined): Promise<CollectionRecord> {
    return this.find(ref ?? DEFAULT_COLLECTION) ?? this.create(ref ?? DEFAULT_COLLECTION);
  }

  async rename(id: string, name: string): Promise<CollectionRecord> {
    const record = this.get(id);
    const clash = this.find(name);
    if (clash && clash.id !== record.id)
      throw new CollectionExistsError(`A collection named "${name.trim()}" already exists.`);
    record.name = name.trim();
    await this.file.write(this.records);
    return { ...record };
  }

  async remove(id: string): Promise<boolean> {
    const before = this.records.length;
    this.records = this.records.filter((c) => c.id !== id);
    if (this.records.length === before) return false;
    await this.file.write(this.records);
    return true;
  }
}
