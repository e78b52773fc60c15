import type { AllianceReport } from '@sangam/consent';
import type { MessageKey } from '../i18n.js';
import { Page, type View } from '../layout.js';
import { KpiTable, statusKey } from './mous.js';

/** An alliance's report for a period, laid out to print: KPIs, usage, consents and refusals, all as tables. */
export function ReportPage(props: { view: View; report: AllianceReport }) {
  const s = props.view.speech;
  const { report } = props;
  const { mou, range } = report;
  const totals = report.usage.reduce(
    (t, u) => ({
      requests: t.requests + u.requests,
      records: t.records + u.records,
      denied: t.denied + u.denied,
    }),
    { requests: 0, records: 0, denied: 0 },
  );
  return (
    <Page view={props.view} title={s.t('reportTitle', { title: mou.title })}>
      <p class="meta">
        {s.t('reportPeriod', { from: s.date(range.from), to: s.date(range.to) })} ·{' '}
        {s.t(statusKey[mou.status])} · <code>{mou.id}</code>
      </p>
      <p class="noprint">
        {s.t('reportPrint')}{' '}
        <a href={`/mous/${mou.id}/report.csv?from=${range.from}&to=${range.to}`}>{s.t('mouReportCsv')}</a>
      </p>
      <h2>{s.t('mouKpis')}</h2>
      {report.measures.length === 0 ? (
        <p>{s.t('mouNoKpis')}</p>
      ) : (
        <KpiTable view={props.view} measures={report.measures} />
      )}
      <h2>{s.t('reportUsage')}</h2>
      <p>
        {s.t('reportTotals', {
          requests: totals.requests,
          records: totals.records,
          denied: totals.denied,
        })}
      </p>
      {report.usage.length === 0 ? (
        <p>{s.t('usageEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('usageDay')}</th>
              <th scope="col">{s.t('consentConsumer')}</th>
              <th scope="col">{s.t('tokenItem')}</th>
              <th scope="col">{s.t('usageRequests')}</th>
              <th scope="col">{s.t('usageRecords')}</th>
              <th scope="col">{s.t('usageRefusals')}</th>
            </tr>
          </thead>
          <tbody>
            {report.usage.map((u) => (
              <tr>
                <td>{s.date(u.day)}</td>
                <td>{u.consumer}</td>
                <td>{u.item}</td>
                <td>{s.number(u.requests)}</td>
                <td>{s.number(u.records)}</td>
                <td>{s.number(u.denied)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{s.t('reportConsents')}</h2>
      {report.consents.length === 0 ? (
        <p>{s.t('consentsEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('reportConsent')}</th>
              <th scope="col">{s.t('consentConsumer')}</th>
              <th scope="col">{s.t('consentItems')}</th>
              <th scope="col">{s.t('consentPurpose')}</th>
              <th scope="col">{s.t('consentStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {report.consents.map((c) => (
              <tr>
                <td>
                  <code>{c.id}</code>
                </td>
                <td>{c.consumer}</td>
                <td>{c.items.join(', ')}</td>
                <td>{c.purpose}</td>
                <td>{s.t(`cstatus${c.status}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{s.t('reportRefusals')}</h2>
      <p class="meta">{s.t('reportRefusalsScope')}</p>
      {report.refusals.length === 0 ? (
        <p>{s.t('reportNoRefusals')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('auditTime')}</th>
              <th scope="col">{s.t('auditAction')}</th>
              <th scope="col">{s.t('consentConsumer')}</th>
              <th scope="col">{s.t('consentReason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.refusals.map((r) => (
              <tr>
                <td>
                  <a href={`/audit/entries/${r.seq}`}>{r.time}</a>
                </td>
                <td>{r.action}</td>
                <td>{r.consumer ?? ''}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.refusalsCut ? <p>{s.t('reportCut')}</p> : null}
      {report.usageCut ? <p>{s.t('reportUsageCut')}</p> : null}
    </Page>
  );
}
