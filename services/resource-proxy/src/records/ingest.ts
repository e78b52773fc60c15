import { type AuditEvent, requestIds } from '@sangam/audit';
import {
  type Caller,
  DxError,
  type FieldError,
  hasControlCharacters,
  individualsMember,
  TimeSlices,
} from '@sangam/core';
import { type Database, grew, type Transaction } from '@sangam/db';
import { boundingBox, geometryErrors, type ItemGeometry } from '@sangam/geo';
import { fieldErrors } from '@sangam/http';
import { actsForProvider } from '@sangam/policy';
import type { ProxyContext } from '../context.js';
import type { Resource } from '../resources.js';
import { moveDataVersion } from './store.js';
import { instantOf, retentionCutoff } from './time.js';

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

/** What became of one record of a batch. */
export interface RecordResult {
  readonly index: number;
  readonly id?: string;
  readonly observedAt?: string;
  readonly status: RecordStatus;
  readonly errors?: readonly FieldError[];
}

export interface IngestSummary {
  readonly resource: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly RecordResult[];
}

interface Candidate {
  readonly index: number;
  readonly id: string;
  readonly observedAt: string;
  readonly body: string;
  /** The distinct individuals behind an aggregate cell; null for a record that is not one. */
  readonly individuals: number | null;
  readonly box: ReturnType<typeof boundingBox> | undefined;
}

/** What is stored under a key: the record and the individuals kept beside it. */
interface Stored {
  readonly body: string;
  readonly individuals: number | null;
}

const maxRecordBytes = 64 * 1024;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const futureToleranceMs = 5 * 60_000;
const keyOf = (id: string, observedAt: string) => `${observedAt}\u0000${id}`;
const geometryTypes = ['Point', 'LineString', 'Polygon', 'MultiPolygon'];

/** Checks one record against the key fields, the data model and the location rules; the candidate or its errors. */
function check(
  resource: Resource,
  record: unknown,
  index: number,
  now: Date,
): { candidate: Candidate } | { errors: FieldError[]; id?: string } {
  const at = `/records/${index}`;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return { errors: [{ field: at, message: 'must be an object' }] };
  }
  // The individuals behind a cell travel with the record but are not of its data model: taken out before it is
  // validated and stored, so no release can ever show them.
  const { [individualsMember]: individualsSent, ...fields } = record as Record<string, unknown>;
  const errors: FieldError[] = [];
  const individuals = individualsSent === undefined ? null : individualsSent;
  // Both databases keep it in a 32-bit integer column.
  if (
    individuals !== null &&
    !(
      Number.isInteger(individuals) &&
      (individuals as number) >= 0 &&
      (individuals as number) <= 2_147_483_647
    )
  ) {
    errors.push({
      field: `${at}/${individualsMember}`,
      message: 'must be a whole number of individuals, from 0 to 2147483647',
    });
  }
  const id = fields.id;
  // A lone surrogate would be stored as U+FFFD by either database: a different key from the one sent.
  const validId =
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 256 &&
    !hasControlCharacters(id) &&
    !loneSurrogate.test(id);
  if (!validId)
    errors.push({ field: `${at}/id`, message: 'must be an entity id of 1 to 256 printable characters' });
  const observedAt = instantOf(fields.observedAt);
  if (!observedAt) {
    errors.push({ field: `${at}/observedAt`, message: 'must be an RFC 3339 date-time that exists' });
  } else if (Date.parse(observedAt) > now.getTime() + futureToleranceMs) {
    errors.push({ field: `${at}/observedAt`, message: 'lies in the future' });
  } else if (observedAt < retentionCutoff(now, resource.retentionDays)) {
    errors.push({
      field: `${at}/observedAt`,
      message: `is older than the resource keeps records (${resource.retentionDays} days)`,
    });
  }
  if (!resource.validate(fields)) {
    for (const e of fieldErrors(resource.validate.errors)) errors.push({ ...e, field: `${at}${e.field}` });
  }
  let box: Candidate['box'];
  const location = fields.location as { type?: unknown; coordinates?: unknown } | undefined;
  if (location !== undefined) {
    if (
      location === null ||
      typeof location !== 'object' ||
      !geometryTypes.includes(location.type as string) ||
      !Array.isArray(location.coordinates)
    ) {
      errors.push({
        field: `${at}/location`,
        message: 'must be a GeoJSON Point, LineString, Polygon or MultiPolygon',
      });
    } else {
      const found = geometryErrors(
        location as { type: string; coordinates: unknown },
        `${at}/location/coordinates`,
      );
      errors.push(...found);
      if (found.length === 0) box = boundingBox(location as ItemGeometry);
    }
  }
  // Stored with its time as canonical UTC, so filters on observedAt compare instants, and the same record sent with
  // another offset is the same record.
  const body = JSON.stringify(observedAt ? { ...fields, observedAt } : fields);
  if (body.length > maxRecordBytes)
    errors.push({ field: at, message: `is larger than ${maxRecordBytes} bytes` });
  if (errors.length > 0 || !validId || !observedAt)
    return { errors, ...(validId ? { id: id as string } : {}) };
  return {
    candidate: { index, id: id as string, observedAt, body, individuals: individuals as number | null, box },
  };
}

const boxColumns = (box: Candidate['box']) => ({
  min_lon: box?.minLon ?? null,
  min_lat: box?.minLat ?? null,
  max_lon: box?.maxLon ?? null,
  max_lat: box?.maxLat ?? null,
});

/**
 * Validates a batch and stores its valid, new records in one transaction with their audit entry: what the answer
 * reports accepted is stored, and nothing else is. Idempotent on (id, observedAt): the same record again is a
 * duplicate, a different one under the same key is rejected.
 */
export async function ingestBatch(
  ctx: ProxyContext,
  caller: Caller,
  resource: Resource,
  records: readonly unknown[],
): Promise<IngestSummary> {
  const now = ctx.clock.now();
  const results: RecordResult[] = [];
  const candidates = new Map<string, Candidate>();
  // A large batch against a large model is checked in slices, so other requests are answered meanwhile.
  const slices = new TimeSlices();
  for (let index = 0; index < records.length; index += 1) {
    if (index % 16 === 0 && slices.due()) await slices.next();
    const record = records[index];
    const checked = check(resource, record, index, now);
    if ('errors' in checked) {
      results[index] = {
        index,
        ...(checked.id ? { id: checked.id } : {}),
        status: 'rejected',
        errors: checked.errors,
      };
      continue;
    }
    const { candidate } = checked;
    const key = keyOf(candidate.id, candidate.observedAt);
    const earlier = candidates.get(key);
    if (earlier) {
      results[index] = sameRecord(earlier, candidate)
        ? { index, id: candidate.id, observedAt: candidate.observedAt, status: 'duplicate' }
        : {
            index,
            id: candidate.id,
            observedAt: candidate.observedAt,
            status: 'rejected',
            errors: [
              {
                field: `/records/${index}`,
                message: `conflicts with record ${earlier.index} of this batch`,
              },
            ],
          };
      continue;
    }
    candidates.set(key, candidate);
  }

  const event = (accepted: number): AuditEvent => ({
    action: 'rs.ingest',
    decision: 'allow',
    reason: `${accepted} of ${records.length} records accepted`,
    actor: { client: caller.principal.clientId, organisation: caller.principal.organisationId },
    target: { item: resource.id, provider: resource.provider },
    ...requestIds(caller),
    resultSize: accepted,
  });
  const version = await ctx.db.transaction().execute(async (trx) => {
    const stored = await storedBodies(trx, resource.id, [...candidates.values()]);
    const fresh: Candidate[] = [];
    for (const candidate of candidates.values()) {
      const known = stored.get(keyOf(candidate.id, candidate.observedAt));
      if (known === undefined) fresh.push(candidate);
      else results[candidate.index] = settled(candidate, known);
    }
    // The version first: its row's lock orders this batch's records in the feed after every earlier batch's.
    const feedVersion = fresh.length > 0 ? await moveDataVersion(trx, resource.id) : undefined;
    const inserted = await insertRecords(trx, resource.id, fresh, now, feedVersion ?? 0);
    // A key written by a concurrent batch since the read above: settled against what that batch stored.
    const raced = fresh.filter((c) => !inserted.has(keyOf(c.id, c.observedAt)));
    const racedBodies =
      raced.length > 0 ? await storedBodies(trx, resource.id, raced) : new Map<string, Stored>();
    for (const candidate of fresh) {
      const key = keyOf(candidate.id, candidate.observedAt);
      results[candidate.index] = inserted.has(key)
        ? { index: candidate.index, id: candidate.id, observedAt: candidate.observedAt, status: 'accepted' }
        : settled(candidate, racedBodies.get(key) ?? { body: '', individuals: null });
    }
    await updateLatest(
      trx,
      resource.id,
      fresh.filter((c) => inserted.has(keyOf(c.id, c.observedAt))),
    );
    await ctx.audit.appendWithin(trx, [event(results.filter((r) => r.status === 'accepted').length)]);
    return inserted.size > 0 ? feedVersion : undefined;
  });
  // Subscribers of the resource look for what is new: its key and version, never its data.
  if (version !== undefined) ctx.notices.notify('sangam_records', { resource: resource.id, version });
  const count = (status: RecordStatus) => results.filter((r) => r.status === status).length;
  grew(ctx.db, 'records', count('accepted'));
  grew(ctx.db, 'latest_records', count('accepted'));
  return {
    resource: resource.id,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    records: results,
  };
}

/** The same record: the same body and the same individuals behind it. */
const sameRecord = (a: Stored, b: Stored): boolean => a.body === b.body && a.individuals === b.individuals;

function settled(candidate: Candidate, stored: Stored): RecordResult {
  const { index, id, observedAt } = candidate;
  return sameRecord(stored, candidate)
    ? { index, id, observedAt, status: 'duplicate' }
    : {
        index,
        id,
        observedAt,
        status: 'rejected',
        errors: [
          { field: `/records/${index}`, message: 'a different record with this id and observedAt is stored' },
        ],
      };
}

const chunk = 400;

async function storedBodies(
  trx: Transaction<Database>,
  resourceId: string,
  candidates: readonly Candidate[],
): Promise<Map<string, Stored>> {
  const found = new Map<string, Stored>();
  for (let i = 0; i < candidates.length; i += chunk) {
    const part = candidates.slice(i, i + chunk);
    const rows = await trx
      .selectFrom('records')
      .select(['entity_id', 'observed_at', 'body', 'individuals'])
      .where('resource_id', '=', resourceId)
      .where('entity_id', 'in', [...new Set(part.map((c) => c.id))])
      .where('observed_at', 'in', [...new Set(part.map((c) => c.observedAt))])
      .execute();
    for (const row of rows) {
      // PostgreSQL and SQLite both give integers as numbers here; null stays null.
      found.set(keyOf(row.entity_id, row.observed_at), {
        body: row.body,
        individuals: row.individuals === null ? null : Number(row.individuals),
      });
    }
  }
  return found;
}

async function insertRecords(
  trx: Transaction<Database>,
  resourceId: string,
  candidates: readonly Candidate[],
  now: Date,
  feedVersion: number,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const ingestedAt = now.toISOString();
  for (let i = 0; i < candidates.length; i += chunk) {
    const rows = await trx
      .insertInto('records')
      .values(
        candidates.slice(i, i + chunk).map((c, j) => ({
          feed_version: feedVersion,
          feed_position: i + j,
          resource_id: resourceId,
          entity_id: c.id,
          observed_at: c.observedAt,
          ingested_at: ingestedAt,
          body: c.body,
          individuals: c.individuals,
          ...boxColumns(c.box),
        })),
      )
      .onConflict((oc) => oc.columns(['resource_id', 'entity_id', 'observed_at']).doNothing())
      .returning(['entity_id', 'observed_at'])
      .execute();
    for (const row of rows) inserted.add(keyOf(row.entity_id, row.observed_at));
  }
  return inserted;
}

/** Keeps each entity's newest record in `latest_records`; an older record never replaces a newer one. */
async function updateLatest(
  trx: Transaction<Database>,
  resourceId: string,
  inserted: readonly Candidate[],
): Promise<void> {
  const newest = new Map<string, Candidate>();
  for (const c of inserted) {
    const current = newest.get(c.id);
    if (!current || current.observedAt < c.observedAt) newest.set(c.id, c);
  }
  const rows = [...newest.values()];
  for (let i = 0; i < rows.length; i += chunk) {
    await trx
      .insertInto('latest_records')
      .values(
        rows.slice(i, i + chunk).map((c) => ({
          resource_id: resourceId,
          entity_id: c.id,
          observed_at: c.observedAt,
          body: c.body,
          individuals: c.individuals,
          ...boxColumns(c.box),
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['resource_id', 'entity_id'])
          .doUpdateSet((eb) => ({
            observed_at: eb.ref('excluded.observed_at'),
            body: eb.ref('excluded.body'),
            individuals: eb.ref('excluded.individuals'),
            min_lon: eb.ref('excluded.min_lon'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lon: eb.ref('excluded.max_lon'),
            max_lat: eb.ref('excluded.max_lat'),
          }))
          .where('latest_records.observed_at', '<', (eb) => eb.ref('excluded.observed_at')),
      )
      .execute();
  }
}

/** Ingestion refuses anyone but the resource's provider (its provider or delegate clients). */
export function requireProvider(caller: Caller, resource: Resource): void {
  if (!actsForProvider(caller.principal, resource.provider)) {
    throw new DxError('notResourceProvider', `Only ${resource.provider} publishes records of ${resource.id}`);
  }
  if (resource.upstream) {
    throw new DxError('conflict', `${resource.id} is served from its provider's API; it takes no ingestion`);
  }
}

/** The resource a caller may publish into; a refusal is audited as a deny before it is answered. */
export async function authoriseIngest(
  ctx: ProxyContext,
  caller: Caller,
  resourceId: string,
): Promise<Resource> {
  const resource = await ctx.resources.get(resourceId);
  try {
    requireProvider(caller, resource);
  } catch (error) {
    if (error instanceof DxError) {
      await ctx.audit.append({
        action: 'rs.ingest',
        decision: 'deny',
        reason: `${error.problem}: ${error.detail ?? ''}`,
        actor: { client: caller.principal.clientId, organisation: caller.principal.organisationId },
        target: { item: resource.id, provider: resource.provider },
        ...requestIds(caller),
      });
    }
    throw error;
  }
  return resource;
}

/** A batch within the configured size, or a 413. */
export function checkBatchSize(ctx: ProxyContext, records: readonly unknown[]): void {
  const max = ctx.config.SANGAM_INGEST_MAX_RECORDS;
  if (records.length > max) {
    throw new DxError(
      'payloadTooLarge',
      `A batch holds at most ${max} records; this one holds ${records.length}`,
    );
  }
}

/** The whole ingestion of a batch, as the route and in-process adapters run it. */
export async function ingest(
  ctx: ProxyContext,
  caller: Caller,
  resourceId: string,
  records: readonly unknown[],
): Promise<IngestSummary> {
  const resource = await authoriseIngest(ctx, caller, resourceId);
  checkBatchSize(ctx, records);
  return ingestBatch(ctx, caller, resource, records);
}
