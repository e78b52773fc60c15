import type { ProblemStatement, Proposal } from '@sangam/consent';
import { problemStatuses } from '@sangam/consent';
import type { MessageKey } from '../i18n.js';
import { Csrf, Errors, Page, type View } from '../layout.js';

const statusKey = (status: string) => `pstatus${status}` as MessageKey;

export interface ProblemForm {
  readonly title: string;
  readonly problem: string;
  readonly affected: string;
  readonly datasets: string;
}

/** The city's problem statements, for anyone; the city admin publishes and moves them along here too. */
export function ProblemsPage(props: {
  view: View;
  problems: readonly ProblemStatement[];
  cityAdmin: boolean;
  form?: ProblemForm;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  const form = props.form ?? { title: '', problem: '', affected: '', datasets: '' };
  return (
    <Page view={props.view} title={s.t('problemsTitle')}>
      <p>{s.t('problemsIntro')}</p>
      {props.problems.length === 0 ? <p>{s.t('problemsEmpty')}</p> : null}
      {props.problems.map((p) => (
        <article class="card" aria-labelledby={`p-${p.id}`}>
          <h2 id={`p-${p.id}`}>{p.title}</h2>
          <p class="meta">
            {s.t(statusKey(p.status))} · {s.date(p.createdAt)}
          </p>
          <p>{p.problem}</p>
          <h3>{s.t('problemAffected')}</h3>
          <p>{p.affected}</p>
          <h3>{s.t('mouDatasets')}</h3>
          {p.datasets.length === 0 ? (
            <p>{s.t('none')}</p>
          ) : (
            <ul>
              {p.datasets.map((d) => (
                <li>
                  <a href={`/catalogue/items/${d}`}>{d}</a>
                </li>
              ))}
            </ul>
          )}
          {p.status === 'open' ? (
            <p>
              <a href="/propose">{s.t('problemHelp')}</a>
            </p>
          ) : null}
          {props.cityAdmin ? (
            <form class="inline" method="post" action={`/problems/${p.id}/status`}>
              <Csrf view={props.view} />
              <label>
                {s.t('problemStatus')}
                <select name="status">
                  {problemStatuses.map((status) => (
                    <option value={status} selected={status === p.status}>
                      {s.t(statusKey(status))}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">{s.t('problemSetStatus')}</button>
            </form>
          ) : null}
        </article>
      ))}
      {props.cityAdmin ? (
        <section aria-labelledby="new-problem">
          <h2 id="new-problem">{s.t('problemNew')}</h2>
          <Errors view={props.view} messages={props.errors ?? []} />
          <form class="stack" method="post" action="/problems">
            <Csrf view={props.view} />
            <label>
              {s.t('problemTitleField')}
              <input type="text" name="title" value={form.title} required maxlength={200} />
            </label>
            <label>
              {s.t('problemProblemField')}
              <textarea name="problem" required maxlength={5000} rows={5}>
                {form.problem}
              </textarea>
            </label>
            <label>
              {s.t('problemAffected')}
              <input type="text" name="affected" value={form.affected} required maxlength={1000} />
            </label>
            <label>
              {s.t('problemDatasetsField')}
              <input type="text" name="datasets" value={form.datasets} maxlength={3000} />
            </label>
            <button type="submit">{s.t('problemPublish')}</button>
          </form>
        </section>
      ) : null}
    </Page>
  );
}

export interface ProposalForm {
  readonly organisation: string;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly offer: string;
}

/** The public form through which a potential partner writes to the city. */
export function ProposePage(props: {
  view: View;
  form?: ProposalForm;
  errors?: readonly string[];
  done?: boolean;
}) {
  const s = props.view.speech;
  const form = props.form ?? { organisation: '', contactName: '', contactEmail: '', offer: '' };
  if (props.done)
    return (
      <Page view={props.view} title={s.t('proposeTitle')}>
        <p class="notice" role="status">
          {s.t('proposeDone')}
        </p>
      </Page>
    );
  return (
    <Page view={props.view} title={s.t('proposeTitle')}>
      <p>{s.t('proposeIntro')}</p>
      <Errors view={props.view} messages={props.errors ?? []} />
      <form class="stack" method="post" action="/propose">
        <label>
          {s.t('proposeOrganisation')}
          <input type="text" name="organisation" value={form.organisation} required maxlength={200} />
        </label>
        <label>
          {s.t('proposeContact')}
          <input type="text" name="contactName" value={form.contactName} required maxlength={200} />
        </label>
        <label>
          {s.t('proposeEmail')}
          <input type="email" name="contactEmail" value={form.contactEmail} required maxlength={254} />
        </label>
        <label>
          {s.t('proposeOffer')}
          <textarea name="offer" required minlength={10} maxlength={5000} rows={6}>
            {form.offer}
          </textarea>
        </label>
        {/* Hidden from people by the style sheet; a form-filling robot fills it and is turned away. */}
        <label class="trap" aria-hidden="true">
          {s.t('proposeTrap')}
          <input type="text" name="website" value="" tabindex={-1} autocomplete="off" />
        </label>
        <button type="submit">{s.t('proposeButton')}</button>
      </form>
    </Page>
  );
}

/** The city's inbox of proposals. */
export function InboxPage(props: { view: View; proposals: readonly Proposal[] }) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t('inboxTitle')}>
      {props.proposals.length === 0 ? <p>{s.t('inboxEmpty')}</p> : null}
      {props.proposals.map((p) => (
        <article class="card">
          <h2>{p.organisation}</h2>
          <p class="meta">
            {p.contactName} · <a href={`mailto:${p.contactEmail}`}>{p.contactEmail}</a> ·{' '}
            {s.t('inboxReceived')} {s.date(p.createdAt)}
          </p>
          <p>{p.offer}</p>
        </article>
      ))}
    </Page>
  );
}
