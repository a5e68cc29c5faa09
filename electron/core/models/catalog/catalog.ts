/**
 * The model catalog: data in resources/catalog.json (bundled), or another source named by
 * HEARTH_CATALOG_URL / the engine's `catalogSource` option (a file path or an http(s) URL, as
 * tests and the e2e use for a local server). Validated with zod on load; a bad catalog is an
 * error that says where it is wrong, never a half-read list.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import bundledCatalog from '../../../../resources/catalog.json';
import { CatalogEntry } from '../../../common/api/contract.js';
import { CatalogInvalidError } from '../../errors/index.js';
import { readText, type Network } from '../../net/network.js';

export const CATALOG_ENV = 'HEARTH_CATALOG_URL';

const CatalogFile = z
  .object({ version: z.literal(1), entries: z.array(CatalogEntry) })
  .superRefine((catalog, context) => {
    const seen = new Set<string>();
    catalog.entries.forEach((entry, index) => {
      if (seen.has(entry.id))
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'id'],
          message: `duplicate id ${entry.id}`,
        });
      seen.add(entry.id);
      if (!entry.quantizations.some((quant) => quant.name === entry.recommended)) {
        context.addIssue({
          code: 'custom',
          path: ['entries', index, 'recommended'],
          message: `${entry.recommended} is not one of its quantizations`,
        });
      }
    });
  });

export function parseCatalog(value: unknown, where: string): CatalogEntry[] {
  const parsed = CatalogFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new CatalogInvalidError(
      `The model catalog (${where}) is not valid: ${path ? `${path}: ` : ''}${issue?.message}`,
    );
  }
  return parsed.data.entries;
}

export interface CatalogSourceOptions {
  /** A file path or http(s) URL; undefined means the bundled catalog. */
  source?: string;
  network: Network;
}

export async function loadCatalog({ source, network }: CatalogSourceOptions): Promise<CatalogEntry[]> {
  if (!source) return parseCatalog(bundledCatalog, 'bundled');
  let text: string;
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await network.request({
        url: source,
        purpose: 'catalog',
        description: 'model catalog',
      });
      if (response.status !== 200) throw new Error(`the server answered ${response.status}`);
      text = await readText(response);
    } else {
      text = await readFile(source, 'utf8');
    }
  } catch (error) {
    throw new CatalogInvalidError(
      `The model catalog could not be read from ${source}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CatalogInvalidError(`The model catalog at ${source} is not JSON.`);
  }
  return parseCatalog(value, source);
}

/** Loads once and keeps the result; a failure is retried on the next call. */
export function cachedCatalog(options: CatalogSourceOptions): () => Promise<CatalogEntry[]> {
  let pending: Promise<CatalogEntry[]> | undefined;
  return () => {
    pending ??= loadCatalog(options).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
