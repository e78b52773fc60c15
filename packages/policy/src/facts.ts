import { type ConsentTable, type Database, type Kysely, prepared, type Selectable } from '@sangam/db';
import type { ClientFacts } from './client.js';
import {
  type ConsentFacts,
  decide,
  type ItemFacts,
  type MouFacts,
  type ReleaseDecision,
  type ReleaseRequest,
} from './decide.js';
import { groupOf, isGroupId } from './item-id.js';
import { mouStatus } from './mou-status.js';
import type { ConsentTerms, DatasetEntry } from './terms.js';
import { kOf } from './terms.js';

type Row = Selectable<ConsentTable>;

/** What the rule reads of an MoU's signed terms. */
interface MouTermsFacts {
  readonly purposes: readonly string[];
  readonly datasets: readonly DatasetEntry[];
}

/** A stored consent as the decision reads it. */
export function consentFacts(row: Row): ConsentFacts {
  const terms = JSON.parse(row.terms) as ConsentTerms;
  return {
    ...terms,
    state: row.state,
    consumer: row.consumer_org,
    provider: row.provider_org,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

/**
 * The current state of a consent and its MoU, read fresh in one query (the resource proxy asks on every request):
 * what the decision function decides on. Of the MoU's parties only the consumer and the items' provider matter to
 * the decision, so `parties` holds each of them while it is one.
 */
export async function currentFacts(
  db: Kysely<Database>,
  consentId: string,
): Promise<{ consent: ConsentFacts; mou: MouFacts; row: Row } | undefined> {
  return releaseFacts(db, consentId, undefined);
}

/** The facts of a release: the consent, its MoU and parties, the client asking, and what the item is now. */
export interface ReleaseFacts {
  readonly consent: ConsentFacts;
  readonly mou: MouFacts;
  readonly row: Row;
  readonly item: ItemFacts;
  /** The client the access token was issued to, when one was named (undefined: no such client). */
  readonly client?: ClientFacts;
  /** The item's catalogue entry, when an item was named (undefined: no such item). */
  readonly catalogued?: CataloguedItem;
}

/** An item's catalogue entry as a release reads it: live or not, its revision, and its data's version. */
export interface CataloguedItem {
  readonly type: string;
  readonly status: string;
  readonly revision: number;
  /** Moved by every change to the resource's stored records; 0 before the first. */
  readonly dataVersion: number;
}

/** What the facts query of an item is asked with: the consent, the client and the item (with its group). */
type FactsValues<N extends string> = Readonly<Record<'consentId' | 'clientId' | 'item' | N, string>>;

/**
 * The facts query's select of one shape (every consent; the caller narrows it): the consent, its MoU, whether its
 * parties are current, the client and the item as they are now. `pii` names the catalogue items whose PII policy
 * makes the item personal data.
 */
function factsSelect<N extends string>(
  db: Kysely<Database>,
  values: FactsValues<N>,
  pii: (values: FactsValues<N>) => PiiItem,
) {
  return db
    .selectFrom('consents as c')
    .innerJoin('mous as m', 'm.id', 'c.mou_id')
    .selectAll('c')
    .select([
      'm.state as mou_state',
      'm.effective_from as mou_effective_from',
      'm.ends_at as mou_ends_at',
      'm.terminates_at as mou_terminates_at',
      'm.terms as mou_terms',
    ])
    .select((eb) => {
      // Whether an organisation is a current party: it signed and has not withdrawn.
      const party = (organisation: 'c.consumer_org' | 'c.provider_org') =>
        eb.exists(
          eb
            .selectFrom('mou_parties as p')
            .select('p.organisation_id')
            .whereRef('p.mou_id', '=', 'c.mou_id')
            .whereRef('p.organisation_id', '=', organisation)
            .where('p.left_at', 'is', null),
        );
      const client = eb.selectFrom('clients as k').where('k.id', '=', values.clientId);
      // A person of the console holds access tokens too: a member stands as its client, active while not suspended.
      const member = eb.selectFrom('members as pm').where('pm.id', '=', values.clientId);
      const item = eb.selectFrom('catalogue_items as i').where('i.id', '=', values.item);
      return [
        party('c.consumer_org').as('consumer_is_party'),
        party('c.provider_org').as('provider_is_party'),
        eb.exists(piiNow(db, pii(values))).as('item_is_pii'),
        eb.fn.coalesce(client.select('k.status'), member.select('pm.status')).as('client_status'),
        client.select('k.secret_rotated_at').as('client_rotated_at'),
        item.select('i.type').as('item_type'),
        item.select('i.status').as('item_status'),
        item.select('i.revision').as('item_revision'),
        eb
          .selectFrom('resource_data_versions as v')
          .select('v.version')
          .where('v.resource_id', '=', values.item)
          .as('data_version'),
      ];
    });
}

/** The facts query of one shape, built and compiled once: it runs on every release and again in its commit. */
function factsQuery<N extends string>(names: readonly N[], pii: (values: FactsValues<N>) => PiiItem) {
  const all = ['consentId', 'clientId', 'item', ...names] as const;
  return prepared<Database, (typeof all)[number], FactsRow>(all, (db, values) =>
    factsSelect(db, values, pii).where('c.id', '=', values.consentId),
  );
}

interface FactsRow extends Row {
  readonly mou_state: MouFacts['state'];
  readonly mou_effective_from: string;
  readonly mou_ends_at: string;
  readonly mou_terminates_at: string | null;
  readonly mou_terms: string;
  readonly consumer_is_party: unknown;
  readonly provider_is_party: unknown;
  readonly item_is_pii: unknown;
  readonly client_status: string | null;
  readonly client_rotated_at: string | null;
  readonly item_type: string | null;
  readonly item_status: string | null;
  readonly item_revision: number | null;
  readonly data_version: number | null;
}

const factsForGroup = factsQuery([], (v) => ({ group: v.item }));
const factsForResource = factsQuery(['item', 'group'], (v) => ({ resource: v.item, group: v.group }));

/**
 * Everything the release rule reads, in one query: the consent, its MoU with its current terms, whether the
 * consumer and the items' provider are current parties, and (with `item`) whether the item, its group or (for a
 * group) any live resource of it is PII now. One round trip, asked before a release and again inside its commit.
 */
export async function releaseFacts(
  db: Kysely<Database>,
  consentId: string,
  item: string | undefined,
  clientId = '',
): Promise<ReleaseFacts | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(consentId)) return undefined;
  // Without an item, none is asked about: an empty id matches no catalogue entry.
  const asked = item ?? '';
  const rows = isGroupId(asked)
    ? await factsForGroup(db, { consentId, clientId, item: asked })
    : await factsForResource(db, { consentId, clientId, item: asked, group: groupOf(asked) });
  const found = rows[0];
  return found ? factsOfRow(found) : undefined;
}

/**
 * The facts of many consents' releases of one item, in one query per 500 consents: a commit that decides again
 * the notifications of many consents reads them together (one round trip, not one per consent). By consent id;
 * a consent that does not exist is absent.
 */
export async function releaseFactsOf(
  db: Kysely<Database>,
  consentIds: readonly string[],
  item: string,
): Promise<Map<string, ReleaseFacts>> {
  const found = new Map<string, ReleaseFacts>();
  const ids = [...new Set(consentIds.filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)))];
  for (let at = 0; at < ids.length; at += 500) {
    const chunk = ids.slice(at, at + 500);
    const select = isGroupId(item)
      ? factsSelect(db, { consentId: '', clientId: '', item }, (v) => ({ group: v.item }))
      : factsSelect(db, { consentId: '', clientId: '', item, group: groupOf(item) }, (v) => ({
          resource: v.item,
          group: v.group,
        }));
    const rows = (await select.where('c.id', 'in', chunk).execute()) as FactsRow[];
    for (const row of rows) found.set(row.id, factsOfRow(row));
  }
  return found;
}

/** A row of the facts query as the release rule reads it. */
function factsOfRow(found: FactsRow): ReleaseFacts {
  const {
    mou_state: state,
    mou_effective_from: effectiveFrom,
    mou_ends_at: endsAt,
    mou_terminates_at: terminatesAt,
    mou_terms: terms,
    consumer_is_party: consumerIsParty,
    provider_is_party: providerIsParty,
    item_is_pii: itemIsPii,
    client_status: clientStatus,
    client_rotated_at: clientRotatedAt,
    item_type: itemType,
    item_status: itemStatus,
    item_revision: itemRevision,
    data_version: dataVersion,
    ...row
  } = found;
  const mouTerms = JSON.parse(terms) as MouTermsFacts;
  const mou: MouFacts = {
    state,
    effectiveFrom,
    endsAt,
    terminatesAt,
    parties: [
      ...(Number(consumerIsParty) ? [row.consumer_org] : []),
      ...(Number(providerIsParty) ? [row.provider_org] : []),
    ],
    datasets: mouTerms.datasets,
    purposes: mouTerms.purposes,
  };
  return {
    consent: consentFacts(row),
    mou,
    row,
    item: { personalData: Boolean(Number(itemIsPii)) },
    ...(clientStatus === null ? {} : { client: { status: clientStatus, secretRotatedAt: clientRotatedAt } }),
    ...(itemType === null || itemStatus === null
      ? {}
      : {
          catalogued: {
            type: itemType,
            status: itemStatus,
            revision: Number(itemRevision),
            dataVersion: Number(dataVersion ?? 0),
          },
        }),
  };
}

/**
 * The one decision the resource proxy asks for on every request: reads the consent and its MoU as they are now
 * (no cache that could outlive a revocation) and applies the release rule.
 */
export async function decideRelease(
  db: Kysely<Database>,
  request: ReleaseRequest & { readonly consentId: string },
  at: Date,
): Promise<ReleaseDecision & { readonly consent?: Row; readonly terms?: ConsentFacts }> {
  const facts = await releaseFacts(db, request.consentId, request.item);
  if (!facts || facts.row.consumer_org !== request.consumer) {
    return { allow: false, problem: 'itemOutsideConsent', reason: 'no such consent for this consumer' };
  }
  return {
    ...decide(facts.consent, facts.mou, request, at, facts.item),
    consent: facts.row,
    terms: facts.consent,
  };
}

/** What an adapter may publish now: its dataset's k and whether records (not only aggregates) may go out. */
export type AdapterTerms =
  | {
      readonly publish: true;
      readonly k: number;
      readonly recordsAllowed: boolean;
      /** The entry's ε budget per released cell and day; absent when the entry sets none. */
      readonly epsilonPerDay?: number;
    }
  | { readonly publish: false; readonly reason: string };

/**
 * The terms an adapter publishes under, asked before every batch: only under an MoU in force that covers its
 * dataset and that its provider is still a party to. Anything else publishes nothing, and says why.
 */
export async function adapterTerms(
  db: Kysely<Database>,
  adapter: { readonly mou: string | undefined; readonly provider: string; readonly group: string },
  now: Date,
): Promise<AdapterTerms> {
  if (!adapter.mou)
    return { publish: false, reason: 'no MoU is named: an adapter publishes only under an MoU' };
  const mou = await db
    .selectFrom('mous')
    .select(['state', 'effective_from', 'ends_at', 'terminates_at', 'terms'])
    .where('id', '=', adapter.mou)
    .executeTakeFirst();
  if (!mou) return { publish: false, reason: `there is no MoU ${adapter.mou}` };
  const status = mouStatus(
    {
      state: mou.state,
      effectiveFrom: mou.effective_from,
      endsAt: mou.ends_at,
      terminatesAt: mou.terminates_at,
    },
    now,
  );
  if (status !== 'active') return { publish: false, reason: `the MoU ${adapter.mou} is ${status}` };
  if (now.toISOString() < mou.effective_from) {
    return { publish: false, reason: `the MoU ${adapter.mou} is in force from ${mou.effective_from}` };
  }
  const party = await db
    .selectFrom('mou_parties')
    .select('organisation_id')
    .where('mou_id', '=', adapter.mou)
    .where('organisation_id', '=', adapter.provider)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  if (!party) {
    return { publish: false, reason: `${adapter.provider} is not a party to the MoU ${adapter.mou}` };
  }
  const dataset = (JSON.parse(mou.terms) as MouTermsFacts).datasets.find((d) => d.group === adapter.group);
  if (!dataset) return { publish: false, reason: `the MoU ${adapter.mou} does not cover ${adapter.group}` };
  return {
    publish: true,
    k: kOf(dataset),
    recordsAllowed: dataset.maxReleaseLevel === 'anonymised-record',
    ...(dataset.epsilonPerDay !== undefined ? { epsilonPerDay: dataset.epsilonPerDay } : {}),
  };
}

/** An item as its PII check reads it: a resource with its group, or a group. */
type PiiItem = { readonly resource: string; readonly group: string } | { readonly group: string };

/** The live PII catalogue items that make an item personal data now: a resource or its group; a group or its resources. */
function piiNow(db: Kysely<Database>, item: PiiItem) {
  return db
    .selectFrom('catalogue_items as i')
    .select('i.id')
    .where((eb) =>
      'resource' in item
        ? eb('i.id', 'in', [item.resource, item.group])
        : eb.or([eb('i.id', '=', item.group), eb('i.group_id', '=', item.group)]),
    )
    .where('i.status', '=', 'live')
    .where('i.access_policy', '=', 'PII');
}

/** What is true of an item now: whether it is PII, or its group is, or (for a group) any live resource of it is. */
export async function itemFacts(db: Kysely<Database>, item: string): Promise<ItemFacts> {
  const shape = isGroupId(item) ? { group: item } : { resource: item, group: groupOf(item) };
  return { personalData: (await piiNow(db, shape).limit(1).executeTakeFirst()) !== undefined };
}
