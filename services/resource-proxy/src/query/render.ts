import { csvCell } from '@sangam/core';
import { success } from '@sangam/http';
import type { StoredRecord } from '../records/store.js';
import type { Format } from './params.js';

/** A record cut down to its key fields and the attributes released. */
export function project(record: StoredRecord, attributes: readonly string[]): StoredRecord {
  const out: StoredRecord = { id: record.id, observedAt: record.observedAt };
  for (const a of attributes) if (Object.hasOwn(record, a)) out[a] = record[a];
  return out;
}

export interface Rendered {
  readonly body: string;
  readonly contentType: string;
  readonly headers: Record<string, string>;
}

/** The answer in the format asked for: the rs envelope, a GeoJSON FeatureCollection, or a CSV download. */
export function render(
  format: Format,
  records: readonly StoredRecord[],
  page: { total: number; limit: number; offset: number; resource: string; attributes: readonly string[] },
): Rendered {
  const headers = { 'ngsild-results-count': String(page.total), 'cache-control': 'no-store' };
  if (format === 'geojson') {
    return {
      contentType: 'application/geo+json',
      headers,
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: records.map((r) => {
          const { id, location, ...properties } = r;
          return { type: 'Feature', id, geometry: location ?? null, properties };
        }),
        totalHits: page.total,
        limit: page.limit,
        offset: page.offset,
      }),
    };
  }
  if (format === 'csv') {
    const columns = ['id', 'observedAt', ...page.attributes];
    const lines = [columns.map(csvCell).join(',')];
    for (const r of records) lines.push(columns.map((c) => csvCell(r[c])).join(','));
    const name = page.resource.replaceAll('/', '_');
    return {
      contentType: 'text/csv; charset=utf-8',
      headers: { ...headers, 'content-disposition': `attachment; filename="${name}.csv"` },
      body: `${lines.join('\r\n')}\r\n`,
    };
  }
  return {
    contentType: 'application/json',
    headers,
    body: JSON.stringify({
      ...success('rs', records, { totalHits: page.total }),
      limit: page.limit,
      offset: page.offset,
    }),
  };
}
