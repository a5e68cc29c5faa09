/**
 * Fit badges for catalog entries, from each file's remote header (its first megabytes over HTTP,
 * see remoteHeader.ts). A header costs a few megabytes to read, so each result is kept in
 * <data>/catalog-fits.json, keyed by the file's URL and this machine's memory and GPU: the
 * Discover list reads a header once, not on every visit.
 */
import { join } from 'node:path';
import { GgufInsights, type Llama } from 'node-llama-cpp';
import { z } from 'zod';
import { ModelFit, type HardwareInfo } from '../../../common/api/contract.js';
import type { Network } from '../../net/network.js';
import { JsonStore } from '../../storage/jsonFile.js';
import { estimateFit } from '../fit.js';
import { withRemoteGgufInfo } from '../remoteHeader.js';

const FitsFile = z.object({ version: z.literal(1), fits: z.record(z.string(), ModelFit) });

export interface CatalogFitsOptions {
  dataDir: string;
  network: Network;
  runtime: () => Promise<Llama>;
  hardware: () => Promise<HardwareInfo>;
}

function machineKey(hardware: HardwareInfo): string {
  const gb = (bytes: number) => Math.round(bytes / 1e9);
  return `${hardware.gpu || 'cpu'}:${gb(hardware.totalRamBytes)}:${gb(hardware.totalVramBytes)}`;
}

export class CatalogFits {
  private readonly inFlight = new Map<string, Promise<ModelFit>>();
  private loaded: Promise<Map<string, ModelFit>> | undefined;
  private readonly store: JsonStore<z.infer<typeof FitsFile>>;

  constructor(private readonly options: CatalogFitsOptions) {
    this.store = new JsonStore(join(options.dataDir, 'catalog-fits.json'));
  }

  /** `description` names the user's action for the network ledger (e.g. "fit check: Qwen3 4B Q4_K_M"). */
  async fit(url: string, description: string, signal?: AbortSignal): Promise<ModelFit> {
    const hardware = await this.options.hardware();
    const key = `${url}|${machineKey(hardware)}`;
    const known = (await this.cache()).get(key);
    if (known) return known;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.measure(url, description, hardware, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const fit = await pending;
    const cache = await this.cache();
    cache.set(key, fit);
    await this.store.save({ version: 1, fits: Object.fromEntries(cache) });
    return fit;
  }

  private cache(): Promise<Map<string, ModelFit>> {
    this.loaded ??= this.store.read().then((value) => {
      const parsed = FitsFile.safeParse(value);
      return new Map(parsed.success ? Object.entries(parsed.data.fits) : []);
    });
    return this.loaded;
  }

  private async measure(
    url: string,
    description: string,
    hardware: HardwareInfo,
    signal?: AbortSignal,
  ): Promise<ModelFit> {
    const llama = await this.options.runtime();
    return withRemoteGgufInfo(
      { network: this.options.network, url, description },
      async (info) => estimateFit(await GgufInsights.from(info, llama), llama, hardware),
      signal,
    );
  }
}
