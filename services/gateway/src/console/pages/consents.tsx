import type { Consent, Mou } from '@sangam/consent';
import { accessTypes } from '@sangam/policy';
import type { MessageKey } from '../i18n.js';
import { Csrf, Errors, Page, type View } from '../layout.js';
import { MouUseTerms } from './mous.js';

/** What the person may do to a consent: the provider's decisions, the consumer's token, exploration and revocation. */
export interface ConsentRow {
  readonly consent: Consent;
  readonly decides: boolean;
  readonly consumes: boolean;
}

const actionsOf: Record<Consent['state'], readonly ('grant' | 'deny' | 'pause' | 'resume' | 'revoke')[]> = {
  requested: ['grant', 'deny'],
  active: ['pause', 'revoke'],
  paused: ['resume', 'revoke'],
  denied: [],
  revoked: [],
};
const actionKey = {
  grant: 'consentGrant',
  deny: 'consentDeny',
  pause: 'consentPause',
  resume: 'consentResume',
  revoke: 'consentRevoke',
} as const;

export function ConsentsPage(props: {
  view: View;
  rows: readonly ConsentRow[];
  canRequest: boolean;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  return (
    <Page
      view={props.view}
      title={s.t('consentsTitle', {
        organisation: props.view.organisationName ?? props.view.session?.member.organisation ?? '',
      })}
    >
      <p>{s.t('consentsIntro')}</p>
      <Errors view={props.view} messages={props.errors ?? []} />
      {props.canRequest ? (
        <p>
          <a href="/consents/new">{s.t('consentRequestLink')}</a>
        </p>
      ) : null}
      {props.rows.length === 0 ? <p>{s.t('consentsEmpty')}</p> : null}
      {props.rows.map(({ consent, decides, consumes }) => {
        const open = consent.status === 'active';
        const actions = consent.status === 'expired' ? [] : actionsOf[consent.state];
        return (
          <article class="card" aria-labelledby={`c-${consent.id}`}>
            <h2 id={`c-${consent.id}`}>
              <code>{consent.id}</code> · {s.t(`cstatus${consent.status}` as MessageKey)}
            </h2>
            <table>
              <tbody>
                <tr>
                  <th scope="row">{s.t('consentItems')}</th>
                  <td>{consent.items.join(', ')}</td>
                </tr>
                <tr>
                  <th scope="row">{s.t('consentPurpose')}</th>
                  <td>{consent.purpose}</td>
                </tr>
                <tr>
                  <th scope="row">{s.t('consentConsumer')}</th>
                  <td>{consent.consumer}</td>
                </tr>
                <tr>
                  <th scope="row">{s.t('consentProvider')}</th>
                  <td>{consent.provider}</td>
                </tr>
                <tr>
                  <th scope="row">{s.t('requestAccessTypes')}</th>
                  <td>{consent.accessTypes.map((a) => s.t(`access${a}` as MessageKey)).join(', ')}</td>
                </tr>
                <tr>
                  <th scope="row">{s.t('consentValidTo')}</th>
                  <td>{s.date(consent.validTo)}</td>
                </tr>
              </tbody>
            </table>
            <div class="actions">
              {actions
                .filter((action) => (action === 'revoke' ? decides || consumes : decides))
                .map((action) =>
                  action === 'grant' ? (
                    <GrantForm view={props.view} consent={consent} />
                  ) : (
                    <form method="post" action={`/consents/${consent.id}/${action}`}>
                      <Csrf view={props.view} />
                      {action === 'deny' ? (
                        <label>
                          {s.t('consentReason')}
                          <input type="text" name="reason" maxlength={1000} />
                        </label>
                      ) : null}
                      <button type="submit">{s.t(actionKey[action])}</button>
                    </form>
                  ),
                )}
            </div>
            {consumes && open ? (
              <form class="inline" method="post" action={`/consents/${consent.id}/token`}>
                <Csrf view={props.view} />
                <label>
                  {s.t('tokenItem')}
                  <select name="item">
                    {consent.items.map((item) => (
                      <option value={item}>{item}</option>
                    ))}
                  </select>
                </label>
                <button type="submit">{s.t('tokenButton')}</button>
              </form>
            ) : null}
            {consumes && open ? (
              <ul>
                {consent.items.map((item) => (
                  <li>
                    <a
                      href={`/explore?consent=${encodeURIComponent(consent.id)}&item=${encodeURIComponent(item)}`}
                    >
                      {s.t('consentExplore')}: {item}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
          </article>
        );
      })}
    </Page>
  );
}

/** The provider's grant: what was asked, each part of which the grant may narrow (never widen). */
function GrantForm(props: { view: View; consent: Consent }) {
  const s = props.view.speech;
  const { consent } = props;
  return (
    <form class="stack" method="post" action={`/consents/${consent.id}/grant`}>
      <Csrf view={props.view} />
      <fieldset>
        <legend>{s.t('grantNarrow')}</legend>
        {consent.accessTypes.map((a) => (
          <label>
            <input type="checkbox" name="accessTypes" value={a} checked />
            {s.t(`access${a}` as MessageKey)}
          </label>
        ))}
        {consent.attributes.map((attribute) => (
          <label>
            <input type="checkbox" name="attributes" value={attribute} checked />
            <code>{attribute}</code>
          </label>
        ))}
      </fieldset>
      <label>
        {s.t('consentValidTo')}
        <input
          type="date"
          name="validTo"
          value={consent.validTo.slice(0, 10)}
          max={consent.validTo.slice(0, 10)}
        />
      </label>
      {/* The day asked for: a date left as it was keeps the asked instant, not the end of that day. */}
      <input type="hidden" name="askedValidTo" value={consent.validTo.slice(0, 10)} />
      <label>
        {s.t('grantRate')}
        <input
          type="number"
          name="rateLimit"
          value={String(consent.rateLimit)}
          min={1}
          max={consent.rateLimit}
        />
      </label>
      <button type="submit">{s.t('consentGrant')}</button>
    </form>
  );
}

export interface RequestForm {
  readonly items: readonly string[];
  readonly purpose: string;
  readonly accessTypes: readonly string[];
  readonly attributes: string;
  readonly releaseLevel: string;
  readonly validTo: string;
}

/** The consent request, with the chosen MoU's terms beside it, so a request is valid the first time. */
export function RequestPage(props: {
  view: View;
  mous: readonly Mou[];
  mou: Mou | undefined;
  items: readonly { id: string; name: string; group: string }[];
  form: RequestForm;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  const { mou, form } = props;
  return (
    <Page view={props.view} title={s.t('requestTitle')}>
      {props.mous.length === 0 ? <p>{s.t('requestNoMou')}</p> : null}
      <form class="inline" method="get" action="/consents/new">
        <label>
          {s.t('requestChooseMou')}
          <select name="mou">
            {props.mous.map((m) => (
              <option value={m.id} selected={m.id === mou?.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{s.t('requestChoose')}</button>
      </form>
      {mou ? (
        <div class="grid">
          <section class="card" aria-labelledby="terms">
            <h2 id="terms">{s.t('requestTerms')}</h2>
            <MouUseTerms view={props.view} mou={mou} level={3} />
          </section>
          <section aria-labelledby="ask">
            <h2 id="ask">{s.t('requestTitle')}</h2>
            <Errors view={props.view} messages={props.errors ?? []} />
            <form class="stack" method="post" action="/consents">
              <Csrf view={props.view} />
              <input type="hidden" name="mou" value={mou.id} />
              <fieldset>
                <legend>{s.t('consentItems')}</legend>
                {props.items.map((item) => (
                  <label>
                    <input
                      type="checkbox"
                      name="items"
                      value={item.id}
                      checked={form.items.includes(item.id)}
                    />
                    {item.name} (<code>{item.id}</code>)
                  </label>
                ))}
              </fieldset>
              <label>
                {s.t('consentPurpose')}
                <select name="purpose">
                  {mou.purposes.map((p) => (
                    <option value={p} selected={form.purpose === p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
              <fieldset>
                <legend>{s.t('requestAccessTypes')}</legend>
                {accessTypes.map((a) => (
                  <label>
                    <input
                      type="checkbox"
                      name="accessTypes"
                      value={a}
                      checked={form.accessTypes.includes(a)}
                    />
                    {s.t(`access${a}` as MessageKey)}
                  </label>
                ))}
              </fieldset>
              <label>
                {s.t('requestAttributes')}
                <input type="text" name="attributes" value={form.attributes} maxlength={2000} />
              </label>
              <label>
                {s.t('requestReleaseLevel')}
                <select name="releaseLevel">
                  {['anonymised-record', 'aggregate'].map((level) => (
                    <option value={level} selected={form.releaseLevel === level}>
                      {level}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {s.t('requestValidTo')}
                <input type="date" name="validTo" value={form.validTo} required />
              </label>
              <button type="submit">{s.t('requestButton')}</button>
            </form>
          </section>
        </div>
      ) : null}
    </Page>
  );
}

/** A fresh access token, with how to use it from a shell and from the client SDK. */
export function TokenPage(props: {
  view: View;
  consent: string;
  item: string;
  token: string;
  expiresAt: string;
  gateway: string;
}) {
  const s = props.view.speech;
  const curl = `curl -s -H 'authorization: Bearer ${props.token}' '${props.gateway}/ngsi-ld/v1/entities?id=${props.item}'`;
  const sdk = [
    "import { SangamClient } from '@sangam/client';",
    '',
    `// The access token above stands for ${props.item} under ${props.consent}.`,
    `const response = await fetch('${props.gateway}/ngsi-ld/v1/entities?id=${props.item}', {`,
    `  headers: { authorization: 'Bearer ${props.token}' },`,
    '});',
    'console.log((await response.json()).results);',
    '',
    '// Or let the client get and renew access tokens from an API client of your organisation:',
    `const client = new SangamClient({ baseUrl: '${props.gateway}', clientId, clientSecret });`,
    `for await (const record of client.records({ consent: '${props.consent}', resource: '${props.item}' })) console.log(record);`,
  ].join('\n');
  return (
    <Page view={props.view} title={s.t('tokenTitle')}>
      <p>
        {s.t('tokenIntro', {
          item: props.item,
          consent: props.consent,
          time: new Date(props.expiresAt).toISOString(),
        })}
      </p>
      <p class="link">
        <code>{props.token}</code>
      </p>
      <h2>{s.t('tokenCurl')}</h2>
      <pre>
        <code>{curl}</code>
      </pre>
      <h2>{s.t('tokenSdk')}</h2>
      <pre>
        <code>{sdk}</code>
      </pre>
    </Page>
  );
}
