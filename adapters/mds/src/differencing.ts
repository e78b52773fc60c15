/** An OD cell as released: trips from one cell to another in one hour. */
interface ReleasedOd {
  readonly origin: string;
  readonly destination: string;
  readonly observedAt: string;
  readonly trips: number;
}

/** An event count as released: events of one type in one cell and hour. */
interface ReleasedEvents {
  readonly cell: string;
  readonly eventType: string;
  readonly observedAt: string;
  readonly events: number;
}

export interface DifferencingReport {
  /** Pairs of released counts where one's population holds the other's, so their difference is a count. */
  readonly pairs: number;
  /** Differences between 1 and k − 1: a small group of devices the releases were to hide. */
  readonly findings: readonly {
    readonly larger: string;
    readonly smaller: string;
    readonly difference: number;
  }[];
}

/**
 * What an analyst gets by subtracting one released MDS aggregate from another that covers it: the trip starts (or
 * ends) of a cell and hour hold the trips of every OD cell out of (or into) it in that hour, each alone and all of
 * them together. Any difference from 1 to k − 1 is a finding. Counts with noise are not pairs: their difference is
 * itself noisy.
 */
export function differencing(
  released: { readonly od: readonly ReleasedOd[]; readonly events: readonly ReleasedEvents[] },
  k: number,
): DifferencingReport {
  const exactOd = released.od.filter((r) => !('epsilon' in r));
  const byEnd = new Map<string, ReleasedOd[]>();
  for (const r of exactOd) {
    for (const key of [
      `trip_start|${r.origin}|${r.observedAt}`,
      `trip_end|${r.destination}|${r.observedAt}`,
    ]) {
      const list = byEnd.get(key) ?? [];
      list.push(r);
      byEnd.set(key, list);
    }
  }
  let pairs = 0;
  const findings: { larger: string; smaller: string; difference: number }[] = [];
  const consider = (larger: string, smaller: string, difference: number) => {
    pairs += 1;
    if (difference >= 1 && difference < k) findings.push({ larger, smaller, difference });
  };
  for (const e of released.events) {
    if ('epsilon' in e) continue;
    const cells = byEnd.get(`${e.eventType}|${e.cell}|${e.observedAt}`);
    if (!cells) continue;
    const name = `${e.eventType} ${e.cell} ${e.observedAt}`;
    for (const c of cells) consider(name, `od ${c.origin}>${c.destination}`, e.events - c.trips);
    consider(name, `every od cell of ${e.cell}`, e.events - cells.reduce((n, c) => n + c.trips, 0));
  }
  return { pairs, findings };
}
