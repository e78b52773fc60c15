import type { Invitation, Member, Passkey } from '@sangam/consent';
import type { Role } from '@sangam/core';
import { roles } from '@sangam/core';
import { Csrf, Errors, Page, type View } from '../layout.js';

export function SignInPage(props: { view: View; email?: string; errors?: readonly string[]; next?: string }) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t('signInTitle')} passkeys>
      <Errors view={props.view} messages={props.errors ?? []} />
      <form class="stack" method="post" action="/sign-in">
        <input type="hidden" name="next" value={props.next ?? ''} />
        <label>
          {s.t('email')}
          <input
            type="email"
            name="email"
            value={props.email ?? ''}
            autocomplete="username"
            required
            maxlength={254}
          />
        </label>
        <label>
          {s.t('password')}
          <input type="password" name="password" autocomplete="current-password" required maxlength={256} />
        </label>
        <button type="submit">{s.t('signInButton')}</button>
      </form>
      {/* Shown by the passkey script where the browser can use one; without script the form above is all. */}
      <p>
        <button
          type="button"
          hidden
          data-passkey="sign-in"
          data-options="/sign-in/passkey/options"
          data-verify="/sign-in/passkey"
          data-next={props.next ?? '/'}
          data-status="passkey-status"
        >
          {s.t('passkeySignIn')}
        </button>
      </p>
      <p id="passkey-status" role="status" aria-live="polite" />
    </Page>
  );
}

/** A person's own account: their passkeys, and the button that adds one. */
export function AccountPage(props: { view: View; passkeys: readonly Passkey[] }) {
  const s = props.view.speech;
  const member = props.view.session?.member;
  return (
    <Page view={props.view} title={s.t('accountTitle')} passkeys>
      <p>
        {member?.name} · {member?.email} · {member?.roles.map((r) => s.t(`role${r}`)).join(', ')}
      </p>
      <h2>{s.t('passkeysTitle')}</h2>
      <p>{s.t('passkeysIntro')}</p>
      {props.passkeys.length === 0 ? (
        <p>{s.t('passkeysEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('passkeysTitle')}</th>
              <th scope="col">{s.t('passkeyAdded')}</th>
              <th scope="col">{s.t('passkeyUsed')}</th>
            </tr>
          </thead>
          <tbody>
            {props.passkeys.map((p) => (
              <tr>
                <td>
                  <code>{`${p.id.slice(0, 12)}…`}</code>
                </td>
                <td>{s.date(p.createdAt)}</td>
                <td>{p.lastUsedAt ? s.date(p.lastUsedAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button
          type="button"
          hidden
          data-passkey="register"
          data-options="/account/passkeys/options"
          data-verify="/account/passkeys"
          data-csrf={props.view.session?.csrfToken}
          data-status="passkey-status"
        >
          {s.t('passkeyAdd')}
        </button>
      </p>
      <p id="passkey-status" role="status" aria-live="polite" />
    </Page>
  );
}

export function JoinPage(props: {
  view: View;
  token: string;
  invitation: Omit<Invitation, 'token'> | undefined;
  organisationName: string;
  errors?: readonly string[];
  min: number;
}) {
  const s = props.view.speech;
  const { invitation } = props;
  if (!invitation)
    return (
      <Page view={props.view} title={s.t('errorTitle')}>
        <p>{s.t('joinGone')}</p>
      </Page>
    );
  return (
    <Page view={props.view} title={s.t('joinTitle', { organisation: props.organisationName })}>
      <p>
        {s.t('joinIntro', {
          name: invitation.name,
          roles: invitation.roles.map((r) => s.t(`role${r}`)).join(', '),
          min: props.min,
        })}
      </p>
      <Errors view={props.view} messages={props.errors ?? []} />
      <form class="stack" method="post" action={`/join/${props.token}`}>
        <label>
          {s.t('email')}
          <input type="email" name="email" value={invitation.email} autocomplete="username" readonly />
        </label>
        <label>
          {s.t('password')}
          <input
            type="password"
            name="password"
            autocomplete="new-password"
            required
            minlength={props.min}
            maxlength={256}
          />
        </label>
        <button type="submit">{s.t('joinButton')}</button>
      </form>
    </Page>
  );
}

export function NoticePage(props: {
  view: View;
  title: string;
  text: string;
  link?: { href: string; text: string };
}) {
  return (
    <Page view={props.view} title={props.title}>
      <p class="notice">{props.text}</p>
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.text}</a>
        </p>
      ) : null}
    </Page>
  );
}

/** An organisation's people, its open invitations and the form to invite one more (for its admins). */
export function MembersPage(props: {
  view: View;
  organisationName: string;
  members: readonly Member[];
  invitations: readonly Invitation[];
  made?: { link: string; email: string; expiresAt: string };
  errors?: readonly string[];
  form?: { email: string; name: string; roles: readonly Role[]; organisation?: string };
  /** The organisations the city admin may invite people into; absent for an organisation's own admin. */
  organisations?: readonly { id: string; name: string }[];
}) {
  const s = props.view.speech;
  const self = props.view.session?.member.memberId;
  return (
    <Page view={props.view} title={s.t('membersTitle', { organisation: props.organisationName })}>
      {props.made ? (
        <div class="notice" role="status">
          <p>{s.t('inviteDone', { email: props.made.email, date: s.date(props.made.expiresAt) })}</p>
          <p class="link">{props.made.link}</p>
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{s.t('membersName')}</th>
            <th scope="col">{s.t('membersEmail')}</th>
            <th scope="col">{s.t('membersRoles')}</th>
            <th scope="col">{s.t('membersStatus')}</th>
            <th scope="col">{s.t('membersSince')}</th>
            <th scope="col">
              <span class="skip">{s.t('suspend')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => (
            <tr>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>{m.roles.map((r) => s.t(`role${r}`)).join(', ')}</td>
              <td>{s.t(m.status === 'active' ? 'memberActive' : 'memberSuspended')}</td>
              <td>{s.date(m.createdAt)}</td>
              <td>
                {m.status === 'active' && m.memberId !== self ? (
                  <form method="post" action={`/members/${m.memberId}/suspend`}>
                    <Csrf view={props.view} />
                    <button class="quiet" type="submit" aria-label={`${s.t('suspend')}: ${m.name}`}>
                      {s.t('suspend')}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{s.t('invitations')}</h2>
      {props.invitations.length === 0 ? (
        <p>{s.t('invitationsEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('membersName')}</th>
              <th scope="col">{s.t('membersEmail')}</th>
              <th scope="col">{s.t('membersRoles')}</th>
              <th scope="col">{s.t('expires')}</th>
            </tr>
          </thead>
          <tbody>
            {props.invitations.map((i) => (
              <tr>
                <td>{i.name}</td>
                <td>{i.email}</td>
                <td>{i.roles.map((r) => s.t(`role${r}`)).join(', ')}</td>
                <td>{s.date(i.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="invite">{s.t('inviteTitle')}</h2>
      <Errors view={props.view} messages={props.errors ?? []} />
      <form class="stack" method="post" action="/members/invitations" aria-labelledby="invite">
        <Csrf view={props.view} />
        {props.organisations ? (
          <label>
            {s.t('proposeOrganisation')}
            <select name="organisation">
              {props.organisations.map((o) => (
                <option
                  value={o.id}
                  selected={(props.form?.organisation ?? props.view.session?.member.organisation) === o.id}
                >
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {s.t('membersName')}
          <input type="text" name="name" value={props.form?.name ?? ''} required maxlength={200} />
        </label>
        <label>
          {s.t('membersEmail')}
          <input type="email" name="email" value={props.form?.email ?? ''} required maxlength={254} />
        </label>
        <fieldset>
          <legend>{s.t('inviteRoles')}</legend>
          {roles.map((role) => (
            <label>
              <input type="checkbox" name="roles" value={role} checked={props.form?.roles.includes(role)} />
              {s.t(`role${role}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit">{s.t('inviteButton')}</button>
      </form>
    </Page>
  );
}
