import type { KpiMeasure, Mou, MouStatus } from '@sangam/consent';
import { Page, type View } from '../layout.js';
import type { AdapterRow } from './items.js';
import { KpiBlock, PeriodForm, statusKey } from './mous.js';

/** An adapter as the city sees it: whose it is, and how long since it last read its feed. */
export interface CityAdapter extends AdapterRow {
  readonly minutesSinceSuccess: number | null;
}

export interface Dashboard {
  readonly mous: readonly Mou[];
  readonly measures: ReadonlyMap<string, readonly KpiMeasure[]>;
  readonly names: ReadonlyMap<string, string>;
  readonly from: string;
  readonly to: string;
  readonly now: string;
  readonly openProblems: number;
  readonly proposals: number;
  readonly adapters: readonly CityAdapter[];
}

const states: readonly MouStatus[] = [
  'draft',
  'awaiting-signatures',
  'active',
  'suspended',
  'terminated',
  'expired',
];
const dayMs = 86_400_000;

/** The city's dashboard: every alliance against its KPIs, what waits on whom, what ends soon, and the feeds. */
export function DashboardPage(props: { view: View; board: Dashboard }) {
  const s = props.view.speech;
  const { board } = props;
  const name = (id: string) => board.names.get(id) ?? id;
  const now = Date.parse(board.now);
  const waiting = board.mous.filter(
    (m) => m.status === 'draft' || m.status === 'awaiting-signatures' || m.pendingAmendment,
  );
  const ending = board.mous
    .filter((m) => m.status === 'active' || m.status === 'suspended')
    .map((m) => ({ mou: m, ends: m.terminatesAt ?? m.endsAt }))
    .filter((e) => Date.parse(e.ends) - now <= 90 * dayMs || e.mou.terminatesAt)
    .sort((a, b) => a.ends.localeCompare(b.ends));
  const alliances = board.mous.filter((m) => m.status === 'active' || m.status === 'suspended');
  return (
    <Page view={props.view} title={s.t('cityTitle')}>
      <p>{s.t('cityIntro')}</p>
      <p>
        <a href="/mous/new">{s.t('mouDraftLink')}</a> · <a href="/mous">{s.t('mousTitle')}</a>
      </p>
      <div class="grid">
        <section class="card" aria-labelledby="by-state">
          <h2 id="by-state">{s.t('cityByState')}</h2>
          <table>
            <tbody>
              {states.map((state) => (
                <tr>
                  <th scope="row">{s.t(statusKey[state])}</th>
                  <td>{s.number(board.mous.filter((m) => m.status === state).length)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card" aria-labelledby="desk">
          <h2 id="desk">{s.t('cityDesk')}</h2>
          <p>
            <a href="/problems">{s.t('cityOpenProblems', { n: board.openProblems })}</a>
          </p>
          <p>
            <a href="/inbox">{s.t('cityProposals', { n: board.proposals })}</a>
          </p>
        </section>
      </div>
      <h2>{s.t('cityWaiting')}</h2>
      {waiting.length === 0 ? (
        <p>{s.t('cityNoneWaiting')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('draftMouTitle')}</th>
              <th scope="col">{s.t('consentStatus')}</th>
              <th scope="col">{s.t('cityWaitingOn')}</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((m) => {
              const signed = new Set(m.pendingAmendment?.signedBy ?? []);
              const on = m.parties
                .filter((p) => !p.leftAt && (m.pendingAmendment ? !signed.has(p.organisation) : !p.signedAt))
                .map((p) => name(p.organisation));
              return (
                <tr>
                  <td>
                    <a href={`/mous/${m.id}`}>{m.title}</a>
                  </td>
                  <td>
                    {m.pendingAmendment
                      ? s.t('cityAmendment', { version: m.pendingAmendment.version })
                      : s.t(statusKey[m.status])}
                  </td>
                  <td>{on.join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>{s.t('cityExpiries')}</h2>
      {ending.length === 0 ? (
        <p>{s.t('cityNoExpiries')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('draftMouTitle')}</th>
              <th scope="col">{s.t('cityEnds')}</th>
              <th scope="col">{s.t('cityDaysLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {ending.map((e) => (
              <tr>
                <td>
                  <a href={`/mous/${e.mou.id}`}>{e.mou.title}</a>
                </td>
                <td>
                  {s.date(e.ends)}
                  {e.mou.terminatesAt ? ` (${s.t('cityNoticeGiven')})` : ''}
                </td>
                <td>{s.number(Math.max(0, Math.ceil((Date.parse(e.ends) - now) / dayMs)))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{s.t('cityAdapters')}</h2>
      {board.adapters.length === 0 ? (
        <p>{s.t('cityNoAdapters')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('adapterName')}</th>
              <th scope="col">{s.t('consentProvider')}</th>
              <th scope="col">{s.t('adapterState')}</th>
              <th scope="col">{s.t('cityFreshness')}</th>
              <th scope="col">{s.t('adapterLastError')}</th>
            </tr>
          </thead>
          <tbody>
            {board.adapters.map((a) => (
              <tr>
                <td>{a.name}</td>
                <td>{name(a.provider)}</td>
                <td>{a.state}</td>
                <td>{a.minutesSinceSuccess === null ? '—' : s.number(a.minutesSinceSuccess)}</td>
                <td>{a.lastError ? `${a.lastError.problem}: ${a.lastError.message}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{s.t('cityAlliances')}</h2>
      <PeriodForm view={props.view} action="/city" from={board.from} to={board.to} />
      {alliances.length === 0 ? <p>{s.t('bulletinEmpty')}</p> : null}
      {alliances.map((m) => (
        <section class="card alliance" aria-labelledby={`a-${m.id}`}>
          <h3 id={`a-${m.id}`}>
            <a href={`/mous/${m.id}?from=${board.from}&to=${board.to}`}>{m.title}</a> ·{' '}
            {s.t(statusKey[m.status])}
          </h3>
          <p class="meta">{m.parties.map((p) => name(p.organisation)).join(', ')}</p>
          <KpiBlock view={props.view} mouId={m.id} measures={board.measures.get(m.id) ?? []} />
        </section>
      ))}
    </Page>
  );
}
