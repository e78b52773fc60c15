import type { Item } from '@sangam/catalogue';
import type { ItemGeometry } from '@sangam/geo';
import { Coverage } from '../coverage.js';
import type { MessageKey } from '../i18n.js';
import { Page, type View } from '../layout.js';

export const itemTypeKey: Record<Item['type'], MessageKey> = {
  provider: 'typeProvider',
  resourceGroup: 'typeResourceGroup',
  resource: 'typeResource',
};
export const accessKey: Record<NonNullable<Item['accessPolicy']>, MessageKey> = {
  OPEN: 'accessOPEN',
  SECURE: 'accessSECURE',
  PII: 'accessPII',
};

/** How many live items each value of a facet has. */
export interface Facets {
  readonly type: ReadonlyMap<string, number>;
  readonly accessPolicy: ReadonlyMap<string, number>;
  readonly provider: ReadonlyMap<string, number>;
}

export interface CatalogueSearch {
  readonly q: string;
  readonly type: string;
  readonly accessPolicy: string;
  readonly provider: string;
}

/** The catalogue's search: a form that works as a plain GET, the results, and where they lie. */
export function CataloguePage(props: {
  view: View;
  search: CatalogueSearch;
  facets: Facets;
  providers: readonly { id: string; name: string }[];
  items: readonly Item[];
  total: number;
}) {
  const s = props.view.speech;
  const { search } = props;
  const located = props.items.flatMap((i) => (i.location ? [i.location as ItemGeometry] : []));
  return (
    <Page view={props.view} title={s.t('catalogueTitle')}>
      <p>{s.t('catalogueIntro')}</p>
      <search>
        <form class="inline" method="get" action="/catalogue">
          <label>
            {s.t('searchWords')}
            <input type="search" name="q" value={search.q} maxlength={200} />
          </label>
          <label>
            {s.t('searchType')}
            <select name="type">
              <option value="">{s.t('searchAny')}</option>
              {(Object.keys(itemTypeKey) as Item['type'][]).map((type) => (
                <option value={type} selected={search.type === type}>
                  {s.t(itemTypeKey[type])} ({s.number(props.facets.type.get(type) ?? 0)})
                </option>
              ))}
            </select>
          </label>
          <label>
            {s.t('searchAccess')}
            <select name="accessPolicy">
              <option value="">{s.t('searchAny')}</option>
              {(Object.keys(accessKey) as (keyof typeof accessKey)[]).map((policy) => (
                <option value={policy} selected={search.accessPolicy === policy}>
                  {s.t(accessKey[policy])} ({s.number(props.facets.accessPolicy.get(policy) ?? 0)})
                </option>
              ))}
            </select>
          </label>
          <label>
            {s.t('searchProvider')}
            <select name="provider">
              <option value="">{s.t('searchAny')}</option>
              {props.providers
                .filter((p) => props.facets.provider.has(p.id))
                .map((p) => (
                  <option value={p.id} selected={search.provider === p.id}>
                    {p.name} ({s.number(props.facets.provider.get(p.id) ?? 0)})
                  </option>
                ))}
            </select>
          </label>
          <button type="submit">{s.t('searchButton')}</button>
        </form>
      </search>
      <p aria-live="polite">
        {props.total === 0 ? s.t('resultsEmpty') : s.t('results', { count: props.total })}
      </p>
      <Coverage geometries={located} label={s.t('coverageMap')} />
      <div class="grid">
        {props.items.map((item) => (
          <article class="card">
            <h2>
              <a href={`/catalogue/items/${item.id}`}>{item.name}</a>
            </h2>
            <p class="meta">
              {s.t(itemTypeKey[item.type])} · {item.provider}
              {item.accessPolicy ? ` · ${s.t(accessKey[item.accessPolicy])}` : ''}
              {item.status === 'retired' ? ` · ${s.t('retired')}` : ''}
            </p>
            {item.description ? <p>{item.description}</p> : null}
            {(item.tags ?? []).map((tag) => (
              <span class="tag">{tag}</span>
            ))}
          </article>
        ))}
      </div>
    </Page>
  );
}
