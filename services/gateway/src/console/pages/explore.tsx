import type { AccessToken } from '@sangam/consent';
import { DxError } from '@sangam/core';
import type { ItemGeometry } from '@sangam/geo';
import { Coverage } from '../coverage.js';
import { Page, type View } from '../layout.js';

/** A query as the explorer's form states it. */
export interface Exploration {
  readonly consent: string;
  readonly item: string;
  readonly attrs: string;
  readonly q: string;
  readonly from: string;
  readonly to: string;
}

export type ExploreAnswer =
  | {
      readonly ok: true;
      readonly records: readonly Record<string, unknown>[];
      readonly total: number;
      readonly text: string;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The refusal's own status: a malformed query is a 400, a refused release a 403, and so on. */
      readonly status: number;
    };

/**
 * Runs the explorer's query through the gateway's own data API with an access token issued for it: the same
 * release, metering and audit as any consumer's query. A refusal comes back as its reason, for the page.
 */
export async function exploreRecords(
  exploration: Exploration,
  through: {
    issue: (request: { consent: string; item: string }) => Promise<AccessToken>;
    data: (path: string, init: RequestInit) => Promise<Response>;
    accept: 'application/json' | 'application/geo+json' | 'text/csv';
  },
): Promise<ExploreAnswer | undefined> {
  if (!exploration.consent || !exploration.item) return undefined;
  let token: AccessToken;
  try {
    token = await through.issue({ consent: exploration.consent, item: exploration.item });
  } catch (error) {
    if (error instanceof DxError) return { ok: false, reason: error.detail, status: error.status };
    throw error;
  }
  const query = new URLSearchParams({ id: exploration.item, limit: '100' });
  if (exploration.attrs.trim()) query.set('attrs', exploration.attrs.replace(/\s+/g, ''));
  if (exploration.q.trim()) query.set('q', exploration.q.trim());
  const temporal = exploration.from !== '' || exploration.to !== '';
  if (temporal) {
    const instant = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    if (exploration.from && exploration.to) {
      query.set('timerel', 'between');
      query.set('timeAt', instant(exploration.from));
      query.set('endTimeAt', instant(exploration.to));
    } else {
      query.set('timerel', exploration.from ? 'after' : 'before');
      query.set('timeAt', instant(exploration.from || exploration.to));
    }
  }
  const path = `/ngsi-ld/v1/${temporal ? 'temporal/' : ''}entities?${query}`;
  const response = await through.data(path, {
    headers: {
      authorization: `Bearer ${token.accessToken}`,
      accept: through.accept === 'text/csv' ? 'text/csv' : 'application/json',
    },
  });
  const text = await response.text();
  if (!response.ok) {
    let reason = `HTTP ${response.status}`;
    try {
      reason = String((JSON.parse(text) as { detail?: string }).detail ?? reason);
    } catch {}
    return { ok: false, reason, status: response.status };
  }
  if (through.accept === 'text/csv') return { ok: true, records: [], total: 0, text };
  const body = JSON.parse(text) as { results?: Record<string, unknown>[]; totalHits?: number };
  const records = body.results ?? [];
  return { ok: true, records, total: body.totalHits ?? records.length, text: '' };
}

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** The explorer: its form, then the records as a table and, where they have a place, as a drawing. */
export function ExplorePage(props: {
  view: View;
  exploration: Exploration;
  answer: ExploreAnswer | undefined;
}) {
  const s = props.view.speech;
  const e = props.exploration;
  const answer = props.answer;
  const columns = answer?.ok ? [...new Set(answer.records.flatMap((r) => Object.keys(r)))] : [];
  const places = answer?.ok
    ? answer.records.flatMap((r) => {
        const location = r.location as { type?: string } | undefined;
        return location && typeof location === 'object' && typeof location.type === 'string'
          ? [location as ItemGeometry]
          : [];
      })
    : [];
  const csv = new URLSearchParams({ ...e, format: 'csv' });
  return (
    <Page view={props.view} title={s.t('exploreTitle', { item: e.item || '…' })}>
      <form class="stack" method="get" action="/explore">
        <input type="hidden" name="consent" value={e.consent} />
        <input type="hidden" name="item" value={e.item} />
        <label>
          {s.t('exploreAttributes')}
          <input type="text" name="attrs" value={e.attrs} maxlength={2000} />
        </label>
        <label>
          {s.t('exploreQ')}
          <input type="text" name="q" value={e.q} maxlength={2000} />
        </label>
        <label>
          {s.t('exploreFrom')}
          <input type="date" name="from" value={e.from} />
        </label>
        <label>
          {s.t('exploreTo')}
          <input type="date" name="to" value={e.to} />
        </label>
        <button type="submit">{s.t('exploreButton')}</button>
      </form>
      {answer && !answer.ok ? (
        <p class="errors" role="alert">
          {s.t('exploreRefused', { reason: answer.reason })}
        </p>
      ) : null}
      {answer?.ok ? (
        <>
          <p aria-live="polite">
            {s.t('exploreRecords', { count: answer.total })} ·{' '}
            <a href={`/explore?${csv}`}>{s.t('exploreCsv')}</a>
          </p>
          <Coverage geometries={places} label={s.t('exploreMap')} />
          <table>
            <thead>
              <tr>
                {columns.map((name) => (
                  <th scope="col">{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {answer.records.map((record) => (
                <tr>
                  {columns.map((name) => (
                    <td>{cell(record[name])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Page>
  );
}
