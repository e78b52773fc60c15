import type { PublicMou } from '@sangam/consent';
import type { MessageKey } from '../i18n.js';
import { Csrf, Page, type View } from '../layout.js';

const statusKey: Record<PublicMou['status'], MessageKey> = {
  active: 'statusActive',
  suspended: 'statusSuspended',
  terminated: 'statusTerminated',
  expired: 'statusExpired',
};

/** The public bulletin (alliances in force) or the archive (alliances that ended). */
export function AlliancesPage(props: { view: View; mous: readonly PublicMou[]; archive: boolean }) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t(props.archive ? 'archiveTitle' : 'bulletinTitle')}>
      <p>{s.t(props.archive ? 'archiveIntro' : 'bulletinIntro')}</p>
      {props.mous.length === 0 ? <p>{s.t(props.archive ? 'archiveEmpty' : 'bulletinEmpty')}</p> : null}
      {props.mous.map((mou) => (
        <article class="card" aria-labelledby={`mou-${mou.id}`}>
          <h2 id={`mou-${mou.id}`}>{mou.title}</h2>
          <p class="meta">
            {s.t(statusKey[mou.status])} ·{' '}
            {mou.endedAt
              ? s.t('mouEnded', { date: s.date(mou.endedAt) })
              : s.t('mouTermText', { from: s.date(mou.effectiveFrom), until: s.date(mou.endsAt) })}
          </p>
          <h3>{s.t('mouParties')}</h3>
          <ul>
            {mou.parties.map((p) => (
              <li>
                {p.name} ({s.t(p.role === 'city' ? 'roleCity' : 'rolePartner')})
              </li>
            ))}
          </ul>
          <h3>{s.t('mouProblem')}</h3>
          <p>{mou.problem}</p>
          <List view={props.view} title="mouBeneficiaries" items={mou.beneficiaries} />
          <List view={props.view} title="mouPurposes" items={mou.purposes} />
          {props.archive ? (
            <>
              <h3>{s.t('mouOutcome')}</h3>
              <p>{mou.outcome ?? s.t('mouOutcomeNone')}</p>
              {props.view.cityAdmin ? (
                <form class="stack" method="post" action={`/archive/${mou.id}/outcome`}>
                  <Csrf view={props.view} />
                  <label>
                    {s.t('mouOutcomeRecord')}
                    <textarea name="outcome" rows={3} maxlength={5000} required>
                      {mou.outcome ?? ''}
                    </textarea>
                  </label>
                  <button type="submit">{s.t('mouOutcomeRecord')}</button>
                </form>
              ) : null}
            </>
          ) : null}
          <h3>{s.t('mouDatasets')}</h3>
          {mou.datasets.length === 0 ? (
            <p>{s.t('none')}</p>
          ) : (
            <ul>
              {mou.datasets.map((d) => (
                <li>
                  <a href={`/catalogue/items/${d}`}>{d}</a>
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </Page>
  );
}

function List(props: { view: View; title: MessageKey; items: readonly string[] }) {
  const s = props.view.speech;
  return (
    <>
      <h3>{s.t(props.title)}</h3>
      {props.items.length === 0 ? (
        <p>{s.t('none')}</p>
      ) : (
        <ul>
          {props.items.map((i) => (
            <li>{i}</li>
          ))}
        </ul>
      )}
    </>
  );
}
