/** Per-unit cost between two points of a stream, from cumulative samples. Pure. */

/** Cumulative cost (e.g. main-thread ms) when `units` (e.g. tokens received) had been reached. */
export interface CostSample {
  units: number;
  cost: number;
}

/** Cumulative cost at `units`, interpolated linearly between the samples around it. */
export function costAt(samples: readonly CostSample[], units: number): number {
  const sorted = [...samples].sort((a, b) => a.units - b.units || a.cost - b.cost);
  if (sorted.length === 0) throw new Error('no samples');
  const first = sorted[0]!;
  if (units <= first.units) return first.cost;
  for (let i = 1; i < sorted.length; i++) {
    const upper = sorted[i]!;
    if (units <= upper.units) {
      const lower = sorted[i - 1]!;
      if (upper.units === lower.units) return upper.cost;
      return lower.cost + ((upper.cost - lower.cost) * (units - lower.units)) / (upper.units - lower.units);
    }
  }
  return sorted[sorted.length - 1]!.cost;
}

/** Average cost per unit between `from` and `to` units. */
export function costPerUnit(samples: readonly CostSample[], from: number, to: number): number {
  if (to <= from) throw new Error('empty window');
  return (costAt(samples, to) - costAt(samples, from)) / (to - from);
}
