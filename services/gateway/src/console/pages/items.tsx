import type { Item } from '@sangam/catalogue';
import type { MessageKey } from '../i18n.js';
import { Csrf, Errors, Page, type View } from '../layout.js';
import { itemTypeKey } from './catalogue.js';

/**
 * An adapter's health as the items page shows it: the part of the adapter kit's record that a provider reads. The
 * composition hands it over, so the console imports no adapter.
 */
export interface AdapterRow {
  readonly name: string;
  readonly provider: string;
  readonly kind: string;
  readonly state: 'starting' | 'healthy' | 'failing' | 'stale' | 'stopped';
  readonly lastSuccessAt?: string;
  readonly lastError?: { readonly problem: string; readonly message: string };
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly cellsSuppressed: number;
}

/** A provider's items: each with edit and retire, and the form to register one more. */
export function ItemsPage(props: {
  view: View;
  items: readonly Item[];
  adapters: readonly AdapterRow[];
  draft: string;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  return (
    <Page
      view={props.view}
      title={s.t('itemsTitle', {
        organisation: props.view.organisationName ?? props.view.session?.member.organisation ?? '',
      })}
    >
      <p>{s.t('itemsIntro')}</p>
      {props.items.length === 0 ? <p>{s.t('itemsEmpty')}</p> : null}
      <table>
        <tbody>
          {props.items.map((item) => (
            <tr>
              <td>
                <a href={`/catalogue/items/${item.id}`}>{item.name}</a> (<code>{item.id}</code>)
              </td>
              <td>
                {s.t(itemTypeKey[item.type])}
                {item.status === 'retired' ? ` · ${s.t('retired')}` : ''}
              </td>
              <td>
                {item.status === 'live' ? (
                  <a
                    href={`/items/edit?id=${encodeURIComponent(item.id)}`}
                    aria-label={`${s.t('itemEdit')}: ${item.name}`}
                  >
                    {s.t('itemEdit')}
                  </a>
                ) : null}
              </td>
              <td>
                {item.status === 'live' ? (
                  <form method="post" action="/items/retire">
                    <Csrf view={props.view} />
                    <input type="hidden" name="id" value={item.id} />
                    <input type="hidden" name="etag" value={`"r${item.revision}"`} />
                    <button class="quiet" type="submit" aria-label={`${s.t('itemRetire')}: ${item.name}`}>
                      {s.t('itemRetire')}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{s.t('adaptersTitle')}</h2>
      {props.adapters.length === 0 ? (
        <p>{s.t('adaptersEmpty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.t('adapterName')}</th>
              <th scope="col">{s.t('adapterState')}</th>
              <th scope="col">{s.t('adapterLastSuccess')}</th>
              <th scope="col">{s.t('adapterLastError')}</th>
              <th scope="col">{s.t('adapterRecords')}</th>
              <th scope="col">{s.t('adapterSuppressed')}</th>
            </tr>
          </thead>
          <tbody>
            {props.adapters.map((h) => (
              <tr>
                <td>
                  {h.name} ({h.kind})
                </td>
                <td>{s.t(`astate${h.state}` as MessageKey)}</td>
                <td>
                  {h.lastSuccessAt
                    ? new Date(h.lastSuccessAt).toISOString().replace('T', ' ').slice(0, 19)
                    : ''}
                </td>
                <td>{h.lastError ? `${h.lastError.problem}: ${h.lastError.message}` : ''}</td>
                <td>
                  {s.number(h.recordsIn)} / {s.number(h.recordsOut)}
                </td>
                <td>{s.number(h.cellsSuppressed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="register">{s.t('itemRegister')}</h2>
      <ItemForm view={props.view} action="/items" draft={props.draft} errors={props.errors ?? []} />
    </Page>
  );
}

/** One item's document, to change; the ETag it was read at travels with the form. */
export function EditItemPage(props: {
  view: View;
  id: string;
  etag: string;
  draft: string;
  errors?: readonly string[];
}) {
  const s = props.view.speech;
  return (
    <Page view={props.view} title={s.t('itemEditTitle', { id: props.id })}>
      <ItemForm
        view={props.view}
        action="/items/edit"
        draft={props.draft}
        errors={props.errors ?? []}
        hidden={{ id: props.id, etag: props.etag }}
      />
    </Page>
  );
}

function ItemForm(props: {
  view: View;
  action: string;
  draft: string;
  errors: readonly string[];
  hidden?: Record<string, string>;
}) {
  const s = props.view.speech;
  return (
    <>
      <Errors view={props.view} messages={props.errors} />
      <form class="stack wide" method="post" action={props.action}>
        <Csrf view={props.view} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label>
          {s.t('itemDocument')}
          <textarea name="document" rows={18} maxlength={200_000} spellcheck={false}>
            {props.draft}
          </textarea>
        </label>
        <button type="submit">{s.t('itemSave')}</button>
      </form>
    </>
  );
}
