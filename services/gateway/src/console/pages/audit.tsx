import type { AuditEntry } from '@sangam/audit';
import type { MessageKey } from '../i18n.js';
import { Csrf, Page, type View } from '../layout.js';

/** The filters of the log, as the auditor typed them. */
export interface AuditFilterForm {
  readonly organisation: string;
  readonly client: string;
  readonly action: string;
  readonly decision: string;
  readonly from: string;
  readonly to: string;
}

export interface CheckpointRow {
  readonly treeSize: number;
  readonly timestamp: string;
  readonly rootHash: string;
  readonly cosignedBy: readonly string[];
}

export interface WitnessRow {
  readonly name: string;
  readonly organisation: string;
  readonly lastCosigned: number | null;
}

const verifySteps = [
  'leaf',
  'signature',
  'size',
  'note',
  'cosignatures',
  'noCosignatures',
  'notYet',
  'inclusion',
  'consistency',
];

/** The sentences the verifier speaks, in the page's language: its script holds no words of its own. */
function verifierWords(view: View): string {
  const s = view.speech;
  const words: Record<string, string> = {
    running: s.t('verifyRunning'),
    verified: s.t('verifyVerified'),
    failed: s.t('verifyFailed'),
    pending: s.t('verifyPending'),
    error: s.t('verifyError'),
  };
  for (const step of verifySteps) {
    const key = `verify${step[0]?.toUpperCase()}${step.slice(1)}`;
    words[`${step}Ok`] = s.t(`${key}Ok` as MessageKey);
    words[`${step}Fail`] = s.t(`${key}Fail` as MessageKey);
  }
  return JSON.stringify(words);
}

/** Where the verifier writes its steps; the module script fills it, and without script the page says why it is empty. */
function VerifyPanel(props: { view: View; data: Record<string, string | number>; intro: string }) {
  const s = props.view.speech;
  const data = Object.fromEntries(Object.entries(props.data).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <section
      id="verify"
      class="card"
      aria-labelledby="verify-title"
      data-words={verifierWords(props.view)}
      {...data}
    >
      <h2 id="verify-title">{s.t('auditVerifyTitle')}</h2>
      <p>{props.intro}</p>
      <noscript>
        <p class="notice">{s.t('auditNoScript')}</p>
      </noscript>
      <p class="verdict" role="status" aria-live="polite" />
      <ol class="steps" />
      <button type="button" hidden>
        {s.t('auditVerifyAgain')}
      </button>
    </section>
  );
}

function actorOf(entry: AuditEntry): string {
  return [entry.actor?.client, entry.actor?.organisation].filter(Boolean).join(' · ');
}

function targetOf(entry: AuditEntry): string {
  return Object.entries(entry.target ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/** The auditor's workspace: the log with filters, export, checkpoints, consistency and witnesses. */
export function AuditPage(props: {
  view: View;
  filter: AuditFilterForm;
  entries: readonly AuditEntry[];
  next: string | undefined;
  query: string;
  checkpoints: readonly CheckpointRow[];
  witnesses: readonly WitnessRow[];
  canCheckpoint: boolean;
}) {
  const s = props.view.speech;
  const f = props.filter;
  const sizes = props.checkpoints.map((c) => c.treeSize);
  return (
    <Page view={props.view} title={s.t('auditTitle')}>
      <p>{s.t('auditIntro')}</p>
      <form class="inline" method="get" action="/audit" aria-label={s.t('auditFilters')}>
        <label>
          {s.t('auditOrganisation')}
          <input type="text" name="organisation" value={f.organisation} maxlength={64} />
        </label>
        <label>
          {s.t('auditClient')}
          <input type="text" name="client" value={f.client} maxlength={64} />
        </label>
        <label>
          {s.t('auditAction')}
          <input type="text" name="action" value={f.action} maxlength={64} />
        </label>
        <label>
          {s.t('auditDecision')}
          <select name="decision">
            <option value="">{s.t('auditAny')}</option>
            <option value="allow" selected={f.decision === 'allow'}>
              allow
            </option>
            <option value="deny" selected={f.decision === 'deny'}>
              deny
            </option>
          </select>
        </label>
        <label>
          {s.t('auditFromDay')}
          <input type="date" name="from" value={f.from} />
        </label>
        <label>
          {s.t('auditToDay')}
          <input type="date" name="to" value={f.to} />
        </label>
        <button type="submit">{s.t('auditFilter')}</button>
      </form>
      <p>
        <a href={`/audit/export?format=csv&${props.query}`}>{s.t('auditExportCsv')}</a> ·{' '}
        <a href={`/audit/export?format=jsonl&${props.query}`}>{s.t('auditExportJsonl')}</a>
      </p>
      {props.entries.length === 0 ? (
        <p>{s.t('auditEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('auditSeq')}</th>
              <th scope="col">{s.t('auditTime')}</th>
              <th scope="col">{s.t('auditAction')}</th>
              <th scope="col">{s.t('auditDecision')}</th>
              <th scope="col">{s.t('auditActor')}</th>
              <th scope="col">{s.t('auditTarget')}</th>
              <th scope="col">{s.t('auditReason')}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td>
                  <a href={`/audit/entries/${e.seq}`}>{e.seq}</a>
                </td>
                <td>{e.time}</td>
                <td>{e.action}</td>
                <td>{e.decision}</td>
                <td>{actorOf(e)}</td>
                <td>{targetOf(e)}</td>
                <td>{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={props.next}>{s.t('auditNext')}</a>
        </p>
      ) : null}
      <h2>{s.t('auditCheckpoints')}</h2>
      {props.canCheckpoint ? (
        <form method="post" action="/audit/checkpoints">
          <Csrf view={props.view} />
          <button type="submit">{s.t('auditMakeCheckpoint')}</button>
        </form>
      ) : null}
      {props.checkpoints.length === 0 ? (
        <p>{s.t('auditNoCheckpoint')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.t('auditTreeSize')}</th>
                <th scope="col">{s.t('auditSignedAt')}</th>
                <th scope="col">{s.t('auditRoot')}</th>
                <th scope="col">{s.t('auditCosignedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {props.checkpoints.map((c) => (
                <tr>
                  <td>{s.number(c.treeSize)}</td>
                  <td>{c.timestamp}</td>
                  <td class="hash">{c.rootHash}</td>
                  <td>{c.cosignedBy.join(', ') || s.t('none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{s.t('auditConsistencyTitle')}</h3>
          <form class="inline" method="get" action="/audit/consistency">
            <label>
              {s.t('auditOlder')}
              <select name="from">
                {sizes.map((size, i) => (
                  <option value={String(size)} selected={i === sizes.length - 1}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {s.t('auditNewer')}
              <select name="to">
                {sizes.map((size, i) => (
                  <option value={String(size)} selected={i === 0}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit">{s.t('auditCheck')}</button>
          </form>
        </>
      )}
      <h2>{s.t('auditWitnesses')}</h2>
      {props.witnesses.length === 0 ? (
        <p>{s.t('auditNoWitness')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('auditWitness')}</th>
              <th scope="col">{s.t('auditOrganisation')}</th>
              <th scope="col">{s.t('auditLastCosigned')}</th>
            </tr>
          </thead>
          <tbody>
            {props.witnesses.map((w) => (
              <tr>
                <td>{w.name}</td>
                <td>{w.organisation}</td>
                <td>{w.lastCosigned === null ? '—' : s.number(w.lastCosigned)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** One entry: who did what to what, the decision and its reason, and its verification in the browser. */
export function AuditEntryPage(props: { view: View; entry: AuditEntry; text: string }) {
  const s = props.view.speech;
  const { entry } = props;
  const rows: [MessageKey, string][] = [
    ['auditTime', entry.time],
    ['auditAction', entry.action],
    ['auditDecision', entry.decision],
    ['auditActor', actorOf(entry)],
    ['auditTarget', targetOf(entry)],
    ['auditReason', entry.reason ?? ''],
  ];
  return (
    <Page
      view={props.view}
      title={s.t('auditEntryTitle', { seq: entry.seq })}
      modules={['/console/audit.js']}
    >
      <table>
        <tbody>
          {rows.map(([key, value]) => (
            <tr>
              <th scope="row">{s.t(key)}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{s.t('auditEntryRaw')}</summary>
        <pre class="hash">{props.text}</pre>
      </details>
      <VerifyPanel
        view={props.view}
        data={{ mode: 'entry', seq: entry.seq }}
        intro={s.t('auditVerifyIntro')}
      />
    </Page>
  );
}

/** Two checkpoints: the browser checks that the newer extends the older. */
export function ConsistencyPage(props: { view: View; from: number; to: number }) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t('auditConsistencyTitle')} modules={['/console/audit.js']}>
      <p>{s.t('auditConsistencyIntro')}</p>
      <VerifyPanel
        view={props.view}
        data={{ mode: 'consistency', from: props.from, to: props.to }}
        intro={s.t('auditVerifyIntro')}
      />
    </Page>
  );
}
