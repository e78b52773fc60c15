import type { ReleaseLevel } from '@sangam/core';
import type { ConsentTable, Database, Kysely, Selectable } from '@sangam/db';
import {
  type ConsentFacts,
  decide,
  type MouFacts,
  type ReleaseDecision,
  type ReleaseRequest,
} from './decide.js';
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
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(consentId)) return undefined;
  const found = await db
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
      return [
        party('c.consumer_org').as('consumer_is_party'),
        party('c.provider_org').as('provider_is_party'),
      ];
    })
    .where('c.id', '=', consentId)
    .executeTakeFirst();
  if (!found) return undefined;
  const {
    mou_state: state,
    mou_effective_from: effectiveFrom,
    mou_ends_at: endsAt,
    mou_terminates_at: terminatesAt,
    mou_terms: terms,
    consumer_is_party: consumerIsParty,
    provider_is_party: providerIsParty,
    ...row
  } = found;
  const mou: MouFacts = {
    state,
    effectiveFrom,
    endsAt,
    terminatesAt,
    parties: [
      ...(Number(consumerIsParty) ? [row.consumer_org] : []),
      ...(Number(providerIsParty) ? [row.provider_org] : []),
    ],
    datasets: (JSON.parse(terms) as MouTermsFacts).datasets,
  };
  return { consent: consentFacts(row), mou, row };
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
  const facts = await currentFacts(db, request.consentId);
  if (!facts || facts.row.consumer_org !== request.consumer) {
    return { allow: false, problem: 'itemOutsideConsent', reason: 'no such consent for this consumer' };
  }
  return { ...decide(facts.consent, facts.mou, request, at), consent: facts.row, terms: facts.consent };
}

/** What an MoU says of one dataset for adapters: its k and the highest release level it allows. */
export async function datasetTerms(
  db: Kysely<Database>,
  mouId: string,
  group: string,
): Promise<{ k: number; maxReleaseLevel: ReleaseLevel } | undefined> {
  const row = await db.selectFrom('mous').select('terms').where('id', '=', mouId).executeTakeFirst();
  if (!row) return undefined;
  const dataset = (JSON.parse(row.terms) as MouTermsFacts).datasets.find((d) => d.group === group);
  return dataset ? { k: kOf(dataset), maxReleaseLevel: dataset.maxReleaseLevel } : undefined;
}
