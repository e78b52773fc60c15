import type { Item } from '@sangam/catalogue';
import type { ItemGeometry } from '@sangam/geo';
import { Coverage } from '../coverage.js';
import { Page, type View } from '../layout.js';
import { accessKey, itemTypeKey } from './catalogue.js';

interface Field {
  readonly name: string;
  readonly type: string;
  readonly meaning: string;
}

/** The top-level fields of a data model (a JSON Schema of the records), as rows of a table. */
export function fieldsOf(model: Record<string, unknown> | undefined): Field[] {
  const properties = model?.properties;
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties as Record<string, Record<string, unknown>>).map(([name, schema]) => {
    const type = Array.isArray(schema?.type)
      ? schema.type.join(' | ')
      : String(schema?.type ?? schema?.$ref ?? '');
    const format = typeof schema?.format === 'string' ? ` (${schema.format})` : '';
    const meaning = [schema?.title, schema?.description].filter((v) => typeof v === 'string').join(': ');
    return { name, type: `${type}${format}`, meaning };
  });
}

/** One catalogue item: what it is, who provides it, its data model, and how to get access. */
export function ItemPage(props: { view: View; item: Item; providerName: string }) {
  const s = props.view.speech;
  const { item } = props;
  const fields = fieldsOf(item.dataModel);
  return (
    <Page view={props.view} title={item.name}>
      <p class="meta">
        {s.t(itemTypeKey[item.type])} · <code>{item.id}</code>
        {item.status === 'retired' ? ` · ${s.t('retired')}` : ''}
      </p>
      {item.description ? <p>{item.description}</p> : null}
      <table>
        <tbody>
          <tr>
            <th scope="row">{s.t('itemProvider')}</th>
            <td>{props.providerName}</td>
          </tr>
          {item.resourceGroup ? (
            <tr>
              <th scope="row">{s.t('itemGroup')}</th>
              <td>
                <a href={`/catalogue/items/${item.resourceGroup}`}>{item.resourceGroup}</a>
              </td>
            </tr>
          ) : null}
          {item.accessPolicy ? (
            <tr>
              <th scope="row">{s.t('itemAccess')}</th>
              <td>{s.t(accessKey[item.accessPolicy])}</td>
            </tr>
          ) : null}
          {item.releaseLevel ? (
            <tr>
              <th scope="row">{s.t('itemReleaseLevel')}</th>
              <td>{s.t(item.releaseLevel === 'aggregate' ? 'releaseAggregate' : 'releaseRecord')}</td>
            </tr>
          ) : null}
          {item.licence ? (
            <tr>
              <th scope="row">{s.t('itemLicence')}</th>
              <td>{item.licence}</td>
            </tr>
          ) : null}
          <tr>
            <th scope="row">{s.t('itemUpdated')}</th>
            <td>{s.date(item.updatedAt)}</td>
          </tr>
          {item.tags && item.tags.length > 0 ? (
            <tr>
              <th scope="row">{s.t('itemTags')}</th>
              <td>
                {item.tags.map((tag) => (
                  <span class="tag">{tag}</span>
                ))}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {item.location ? (
        <Coverage geometries={[item.location as ItemGeometry]} label={s.t('coverage', { name: item.name })} />
      ) : null}
      {item.type === 'resource' ? (
        <>
          <h2>{s.t('dataModel')}</h2>
          {fields.length === 0 ? (
            <p>{s.t('noDataModel')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{s.t('field')}</th>
                  <th scope="col">{s.t('fieldType')}</th>
                  <th scope="col">{s.t('fieldMeaning')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr>
                    <td>
                      <code>{f.name}</code>
                    </td>
                    <td>{f.type}</td>
                    <td>{f.meaning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
      {item.type !== 'provider' ? (
        <>
          <h2>{s.t('howToAccess')}</h2>
          <p>{s.t(item.accessPolicy === 'OPEN' ? 'howToAccessOpen' : 'howToAccessSecure')}</p>
          <p>{s.t('howToJoin')}</p>
        </>
      ) : null}
    </Page>
  );
}
