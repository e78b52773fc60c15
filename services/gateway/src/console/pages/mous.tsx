import {
  collaborationAreas,
  type KpiMeasure,
  type KpiMetric,
  kpiMetrics,
  type Mou,
  type MouStatus,
} from '@sangam/consent';
import { releaseLevels } from '@sangam/core';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { kpiFigureHtml } from '../charts.js';
import type { MessageKey } from '../i18n.js';
import { Csrf, Errors, Page, type View } from '../layout.js';

export const statusKey: Record<MouStatus, MessageKey> = {
  draft: 'statusDraft',
  'awaiting-signatures': 'statusAwaiting',
  active: 'statusActive',
  suspended: 'statusSuspended',
  terminated: 'statusTerminated',
  expired: 'statusExpired',
};

export const metricKey: Record<KpiMetric, MessageKey> = {
  'records-released-per-week': 'kpiRecords',
  'active-consumers': 'kpiConsumers',
  'consents-granted': 'kpiGrants',
  'requests-refused': 'kpiRefused',
  'median-grant-hours': 'kpiGrantHours',
  'adapter-freshness-minutes': 'kpiFreshness',
  'datasets-delivered-percent': 'kpiDelivered',
};

const areaKey: Record<(typeof collaborationAreas)[number], MessageKey> = {
  'data-sharing': 'areaDataSharing',
  'dashboards-and-analysis': 'areaDashboards',
  'analytical-support': 'areaAnalytics',
  'technical-assistance': 'areaTechnical',
  'capacity-building': 'areaCapacity',
  manpower: 'areaManpower',
  'domain-support': 'areaDomain',
  strategy: 'areaStrategy',
};

/** A measured value as a person reads it, or a dash when nothing was measured. */
export function shown(view: View, value: number | null): string {
  return value === null ? '—' : view.speech.number(value);
}

export function targetText(view: View, measure: Pick<KpiMeasure, 'kpi'>): string {
  const s = view.speech;
  return s.t(measure.kpi.direction === 'at-least' ? 'kpiAtLeast' : 'kpiAtMost', {
    target: measure.kpi.target,
  });
}

/** Whether a KPI is met, in words (never by colour alone). */
export function metText(view: View, met: boolean | null): string {
  return view.speech.t(met === null ? 'kpiNothing' : met ? 'kpiMet' : 'kpiNotMet');
}

/** KPIs against their targets over a period, one row each: what the dashboard, the MoU and the report show. */
export function KpiTable(props: { view: View; measures: readonly KpiMeasure[] }) {
  const s = props.view.speech;
  return (
    <table class="kpis">
      <thead>
        <tr>
          <th scope="col">{s.t('kpiMetric')}</th>
          <th scope="col">{s.t('kpiScope')}</th>
          <th scope="col">{s.t('kpiTarget')}</th>
          <th scope="col">{s.t('kpiMeasured')}</th>
          <th scope="col">{s.t('kpiStatus')}</th>
          <th scope="col">{s.t('kpiReview')}</th>
        </tr>
      </thead>
      <tbody>
        {props.measures.map((m) => (
          <tr data-metric={m.kpi.metric}>
            <th scope="row">{s.t(metricKey[m.kpi.metric])}</th>
            <td>{m.kpi.dataset ?? s.t('kpiWholeMou')}</td>
            <td>{targetText(props.view, m)}</td>
            <td class="measured">{shown(props.view, m.whole.value)}</td>
            <td class={m.met === false ? 'miss' : undefined}>{metText(props.view, m.met)}</td>
            <td>{s.date(m.kpi.reviewBy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An alliance's KPIs: a summary table, then each KPI's weeks as a chart with its numbers beside it. */
export function KpiBlock(props: { view: View; mouId: string; measures: readonly KpiMeasure[] }) {
  const s = props.view.speech;
  if (props.measures.length === 0) return <p>{s.t('mouNoKpis')}</p>;
  return (
    <>
      <KpiTable view={props.view} measures={props.measures} />
      <div class="charts">
        {raw(
          props.measures
            .map((m, i) => {
              const caption = `${s.t(metricKey[m.kpi.metric])} · ${targetText(props.view, m)}`;
              return kpiFigureHtml(`k-${props.mouId}-${i}`, m, {
                caption,
                chartLabel: s.t('kpiChart', { metric: caption }),
                numbers: s.t('kpiNumbers'),
                stretch: s.t('kpiWeek'),
                measured: s.t('kpiMeasured'),
                number: s.number,
                date: s.date,
              });
            })
            .join(''),
        )}
      </div>
    </>
  );
}

/**
 * What an MoU lets data be used for: its purposes, its datasets with their highest release levels, and its term (with
 * the notice and any termination, `full`). The MoU's page and the consent request show the same.
 */
export function MouUseTerms(props: { view: View; mou: Mou; level: 2 | 3; full?: boolean }) {
  const s = props.view.speech;
  const { mou } = props;
  const Heading = props.level === 2 ? 'h2' : 'h3';
  return (
    <>
      <Heading>{s.t('mouPurposes')}</Heading>
      <ul>
        {mou.purposes.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
      <Heading>{s.t('mouDatasets')}</Heading>
      <ul>
        {mou.datasets.map((d) => (
          <li>
            {d.group} ({s.t('requestMaxLevel', { level: d.maxReleaseLevel })})
          </li>
        ))}
      </ul>
      <Heading>{s.t('mouTerm')}</Heading>
      <p>
        {s.t('mouTermText', { from: s.date(mou.effectiveFrom), until: s.date(mou.endsAt) })}
        {props.full ? ` · ${s.t('mouNotice', { days: mou.noticeDays })}` : ''}
        {props.full && mou.terminatesAt
          ? ` · ${s.t('mouTerminates', { date: s.date(mou.terminatesAt) })}`
          : ''}
      </p>
    </>
  );
}

/** The days a page measures over, chosen by a small form that works without script. */
export function PeriodForm(props: {
  view: View;
  action: string;
  from: string;
  to: string;
  children?: Child;
}) {
  const s = props.view.speech;
  return (
    <form class="inline" method="get" action={props.action}>
      {props.children}
      <label>
        {s.t('periodFrom')}
        <input type="date" name="from" value={props.from} />
      </label>
      <label>
        {s.t('periodTo')}
        <input type="date" name="to" value={props.to} />
      </label>
      <button type="submit">{s.t('periodShow')}</button>
    </form>
  );
}

/** The MoUs a person's organisation is party to (all of them for the city admin and auditors). */
export function MousPage(props: { view: View; mous: readonly Mou[]; waitingOn: ReadonlySet<string> }) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t('mousTitle')}>
      <p>{s.t('mousIntro')}</p>
      {props.view.cityAdmin ? (
        <p>
          <a href="/mous/new">{s.t('mouDraftLink')}</a>
        </p>
      ) : null}
      {props.mous.length === 0 ? (
        <p>{s.t('mousEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('draftMouTitle')}</th>
              <th scope="col">{s.t('consentStatus')}</th>
              <th scope="col">{s.t('mouParties')}</th>
              <th scope="col">{s.t('mouTerm')}</th>
            </tr>
          </thead>
          <tbody>
            {props.mous.map((m) => (
              <tr>
                <td>
                  <a href={`/mous/${m.id}`}>{m.title}</a>
                  {props.waitingOn.has(m.id) ? <strong> · {s.t('mouYourSignature')}</strong> : null}
                </td>
                <td>{s.t(statusKey[m.status])}</td>
                <td>{m.parties.map((p) => p.organisation).join(', ')}</td>
                <td>{s.t('mouTermText', { from: s.date(m.effectiveFrom), until: s.date(m.endsAt) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** What a person may do to an MoU from its page. */
export interface MouActions {
  /** Sign the MoU or its amendment, for this organisation. */
  readonly sign?: string;
  readonly suspend: boolean;
  readonly resume: boolean;
  readonly terminate: boolean;
  /** The report of the alliance (the city admin and auditors). */
  readonly report: boolean;
}

/** One MoU: where it stands, who signed, its terms, its KPIs against their targets, and what the person may do. */
export function MouPage(props: {
  view: View;
  mou: Mou;
  names: ReadonlyMap<string, string>;
  measures: readonly KpiMeasure[];
  from: string;
  to: string;
  actions: MouActions;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  const { mou, actions } = props;
  const name = (id: string) => props.names.get(id) ?? id;
  const period = `from=${props.from}&to=${props.to}`;
  return (
    <Page view={props.view} title={mou.title}>
      <p class="meta">
        {s.t(statusKey[mou.status])} · <code>{mou.id}</code> · {s.t('mouVersion', { version: mou.version })}
      </p>
      <Errors view={props.view} messages={props.errors ?? []} />
      {mou.pendingAmendment ? (
        <p class="notice">
          {s.t('mouAmendmentPending', {
            version: mou.pendingAmendment.version,
            who: mou.pendingAmendment.signedBy.map(name).join(', ') || s.t('none'),
          })}
        </p>
      ) : null}
      <div class="actions">
        {actions.sign ? (
          <form method="post" action={`/mous/${mou.id}/sign`}>
            <Csrf view={props.view} />
            <button type="submit">
              {mou.status === 'draft' && props.view.cityAdmin
                ? s.t('mouSendForSignature')
                : s.t('mouSign', { organisation: name(actions.sign) })}
            </button>
          </form>
        ) : null}
        {(['suspend', 'resume', 'terminate'] as const)
          .filter((a) => actions[a])
          .map((a) => (
            <form method="post" action={`/mous/${mou.id}/${a}`}>
              <Csrf view={props.view} />
              <label>
                {s.t('mouReason')}
                <input type="text" name="reason" maxlength={1000} />
              </label>
              <button type="submit">
                {s.t(a === 'suspend' ? 'mouSuspend' : a === 'resume' ? 'mouResume' : 'mouTerminate')}
              </button>
            </form>
          ))}
      </div>
      <h2>{s.t('mouSignatures')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{s.t('mouParties')}</th>
            <th scope="col">{s.t('mouRole')}</th>
            <th scope="col">{s.t('mouSignatures')}</th>
          </tr>
        </thead>
        <tbody>
          {mou.parties.map((p) => (
            <tr>
              <td>{name(p.organisation)}</td>
              <td>{s.t(p.role === 'city' ? 'roleCity' : 'rolePartner')}</td>
              <td>
                {p.leftAt
                  ? s.t('mouLeft', { date: s.date(p.leftAt) })
                  : p.signedAt
                    ? s.t('mouSigned', { date: s.date(p.signedAt) })
                    : s.t('mouNotSigned')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{s.t('mouKpis')}</h2>
      <PeriodForm view={props.view} action={`/mous/${mou.id}`} from={props.from} to={props.to} />
      <KpiBlock view={props.view} mouId={mou.id} measures={props.measures} />
      {actions.report ? (
        <p>
          <a href={`/mous/${mou.id}/report?${period}`}>{s.t('mouReport')}</a> ·{' '}
          <a href={`/mous/${mou.id}/report.csv?${period}`}>{s.t('mouReportCsv')}</a>
        </p>
      ) : null}
      <h2>{s.t('mouProblem')}</h2>
      <p>{mou.problem.issue}</p>
      <h3>{s.t('mouBeneficiaries')}</h3>
      <p>{mou.problem.beneficiaries.join(', ') || s.t('none')}</p>
      <h2>{s.t('draftAreas')}</h2>
      <p>{mou.areas.map((a) => s.t(areaKey[a])).join(', ')}</p>
      <MouUseTerms view={props.view} mou={mou} level={2} full />
      {(
        [
          ['roles', 'draftRoles'],
          ['privacy', 'draftPrivacy'],
          ['intellectualProperty', 'draftIpr'],
          ['grievance', 'draftGrievance'],
        ] as const
      ).map(([k, key]) =>
        mou.clauses?.[k] ? (
          <>
            <h2>{s.t(key)}</h2>
            <p class="prose">{mou.clauses[k]}</p>
          </>
        ) : null,
      )}
      {mou.confidentiality ? (
        <>
          <h2>{s.t('draftConfidentiality')}</h2>
          <p class="prose">{mou.confidentiality}</p>
        </>
      ) : null}
    </Page>
  );
}

/** What the draft form holds, as typed: shown again with the problems when it is refused. */
export interface DraftForm {
  readonly title: string;
  readonly partners: readonly string[];
  readonly issue: string;
  readonly beneficiaries: string;
  readonly outcomes: string;
  readonly areas: readonly string[];
  readonly roles: string;
  readonly purposes: string;
  readonly datasets: Readonly<Record<string, string>>;
  readonly privacy: string;
  readonly confidentiality: string;
  readonly intellectualProperty: string;
  readonly grievance: string;
  readonly effectiveFrom: string;
  readonly endsAt: string;
  readonly noticeDays: string;
  readonly documentSha256: string;
  readonly kpis: readonly {
    metric: string;
    target: string;
    direction: string;
    reviewBy: string;
    dataset: string;
  }[];
}

export const kpiRows = 4;

/** The city drafts an MoU in the sections of the model MoU; KPIs are picked from what the gateway can measure. */
export function DraftPage(props: {
  view: View;
  form: DraftForm;
  organisations: readonly { id: string; name: string }[];
  groups: readonly { id: string; name: string }[];
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  const { form } = props;
  const area = (name: string, label: string, value: string, rows = 3) => (
    <label>
      {label}
      <textarea name={name} rows={rows} maxlength={5000}>
        {value}
      </textarea>
    </label>
  );
  return (
    <Page view={props.view} title={s.t('draftTitle')}>
      <p>{s.t('draftIntro')}</p>
      <Errors view={props.view} messages={props.errors ?? []} />
      <form class="stack wide mou" method="post" action="/mous">
        <Csrf view={props.view} />
        <fieldset>
          <legend>{s.t('draftScope')}</legend>
          <label>
            {s.t('draftMouTitle')}
            <input type="text" name="title" required maxlength={300} value={form.title} />
          </label>
          {area('issue', s.t('mouProblem'), form.issue, 4)}
          <label>
            {s.t('draftBeneficiaries')}
            <input type="text" name="beneficiaries" maxlength={3000} value={form.beneficiaries} />
          </label>
          <label>
            {s.t('draftOutcomes')}
            <input type="text" name="outcomes" maxlength={3000} value={form.outcomes} />
          </label>
          <fieldset>
            <legend>{s.t('draftAreas')}</legend>
            {collaborationAreas.map((a) => (
              <label class="check">
                <input type="checkbox" name="areas" value={a} checked={form.areas.includes(a)} />
                {s.t(areaKey[a])}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{s.t('draftRoles')}</legend>
          <fieldset>
            <legend>{s.t('draftPartners')}</legend>
            {props.organisations.map((o) => (
              <label class="check">
                <input type="checkbox" name="partners" value={o.id} checked={form.partners.includes(o.id)} />
                {o.name}
              </label>
            ))}
          </fieldset>
          {area('roles', s.t('draftRoles'), form.roles)}
        </fieldset>
        <fieldset>
          <legend>{s.t('draftDataTerms')}</legend>
          {area('purposes', s.t('draftPurposes'), form.purposes)}
          <fieldset>
            <legend>{s.t('mouDatasets')}</legend>
            {props.groups.map((g) => (
              <label>
                {`${g.name} (${g.id})`}
                <select name={`dataset:${g.id}`}>
                  <option value="">{s.t('draftNotCovered')}</option>
                  {releaseLevels.map((level) => (
                    <option value={level} selected={form.datasets[g.id] === level}>
                      {s.t(level === 'aggregate' ? 'releaseAggregate' : 'releaseRecord')}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset>
          <legend>{s.t('draftKpis')}</legend>
          {Array.from({ length: kpiRows }, (_, i) => {
            const k = form.kpis[i] ?? {
              metric: '',
              target: '',
              direction: 'at-least',
              reviewBy: '',
              dataset: '',
            };
            return (
              <fieldset class="row">
                <legend>{s.t('draftKpiN', { n: i + 1 })}</legend>
                <label>
                  {s.t('kpiMetric')}
                  <select name={`kpi${i}.metric`}>
                    <option value="">{s.t('draftNoMetric')}</option>
                    {kpiMetrics.map((m) => (
                      <option value={m} selected={k.metric === m}>
                        {s.t(metricKey[m])}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {s.t('kpiDirection')}
                  <select name={`kpi${i}.direction`}>
                    <option value="at-least" selected={k.direction === 'at-least'}>
                      {s.t('kpiDirAtLeast')}
                    </option>
                    <option value="at-most" selected={k.direction === 'at-most'}>
                      {s.t('kpiDirAtMost')}
                    </option>
                  </select>
                </label>
                <label>
                  {s.t('kpiTarget')}
                  <input type="number" name={`kpi${i}.target`} min={0} step="any" value={k.target} />
                </label>
                <label>
                  {s.t('kpiReview')}
                  <input type="date" name={`kpi${i}.reviewBy`} value={k.reviewBy} />
                </label>
                <label>
                  {s.t('kpiScope')}
                  <select name={`kpi${i}.dataset`}>
                    <option value="">{s.t('kpiWholeMou')}</option>
                    {props.groups.map((g) => (
                      <option value={g.id} selected={k.dataset === g.id}>
                        {g.id}
                      </option>
                    ))}
                  </select>
                </label>
              </fieldset>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>{s.t('draftPrivacy')}</legend>
          {area('privacy', s.t('draftPrivacy'), form.privacy)}
          {area('confidentiality', s.t('draftConfidentiality'), form.confidentiality)}
          {area('intellectualProperty', s.t('draftIpr'), form.intellectualProperty)}
          {area('grievance', s.t('draftGrievance'), form.grievance)}
        </fieldset>
        <fieldset>
          <legend>{s.t('draftTerm')}</legend>
          <label>
            {s.t('draftFrom')}
            <input type="date" name="effectiveFrom" required value={form.effectiveFrom} />
          </label>
          <label>
            {s.t('draftUntil')}
            <input type="date" name="endsAt" required value={form.endsAt} />
          </label>
          <label>
            {s.t('draftNoticeDays')}
            <input type="number" name="noticeDays" min={0} max={3650} value={form.noticeDays} />
          </label>
          <label>
            {s.t('draftDocument')}
            <input
              type="text"
              name="documentSha256"
              pattern="[0-9a-f]{64}"
              maxlength={64}
              value={form.documentSha256}
            />
          </label>
        </fieldset>
        <button type="submit">{s.t('draftSubmit')}</button>
      </form>
    </Page>
  );
}
