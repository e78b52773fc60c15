import { DxError, type ReleaseLevel } from '@sangam/core';
import type { Database, Kysely } from '@sangam/db';
import { createAjv } from '@sangam/http';
import { groupOf } from '@sangam/policy';
import type { ValidateFunction } from 'ajv';

/** The fields every record carries whatever its data model: the entity it describes and when it was observed. */
export const keyFields = ['id', 'observedAt'] as const;
/** The record attribute geo-queries test (a GeoJSON geometry), as in NGSI-LD. */
export const locationAttribute = 'location';

export type { ReleaseLevel };

/** What the proxy reads of a catalogue item's stored document; the catalogue owns the rest of it. */
interface ItemDocument {
  readonly id: string;
  readonly provider: string;
  readonly resourceGroup?: string;
  readonly releaseLevel?: ReleaseLevel;
  readonly dataModel?: unknown;
  readonly source?: { readonly upstream?: string };
  readonly retentionDays?: number;
}

/** A live resource as the proxy serves it, with its data model compiled. */
export interface Resource {
  readonly id: string;
  readonly provider: string;
  readonly group: string;
  readonly revision: number;
  readonly releaseLevel: ReleaseLevel;
  /** Attributes of the data model, the key fields excepted. */
  readonly attributes: readonly string[];
  readonly upstream?: string;
  readonly retentionDays: number;
  readonly validate: ValidateFunction;
}

const maxCached = 2000;

/**
 * Resources from the catalogue, read on every request (a retired or changed resource is seen at once) with the
 * data model compiled once per item revision.
 */
export class Resources {
  readonly #db: Kysely<Database>;
  readonly #defaultRetentionDays: number;
  readonly #compiled = new Map<string, Resource>();

  constructor(db: Kysely<Database>, defaultRetentionDays: number) {
    this.#db = db;
    this.#defaultRetentionDays = defaultRetentionDays;
  }

  /**
   * The live resource `id`; a 404 problem when there is none (retired, a group, or unknown). `known` is its
   * catalogue entry as a read of the same request found it (the release rule's), which spares reading it again.
   */
  async get(
    id: string,
    known?: { readonly type: string; readonly status: string; readonly revision: number } | null,
  ): Promise<Resource> {
    const row =
      known === undefined
        ? await this.#db
            .selectFrom('catalogue_items')
            .select(['id', 'type', 'status', 'revision'])
            .where('id', '=', id)
            .executeTakeFirst()
        : known && { id, ...known };
    if (row?.type !== 'resource' || row.status !== 'live') {
      throw new DxError('notFound', `No live resource "${id}"`);
    }
    const key = `${row.id}@${row.revision}`;
    const cached = this.#compiled.get(key);
    if (cached) return cached;
    const document = await this.#db
      .selectFrom('catalogue_items')
      .select('document')
      .where('id', '=', id)
      .where('revision', '=', row.revision)
      .executeTakeFirst();
    // Changed between the two reads: the next request compiles the newer revision.
    if (!document) throw new DxError('conflict', `The resource "${id}" changed while it was read; retry`);
    const resource = this.#compile(JSON.parse(document.document) as ItemDocument, row.revision);
    if (this.#compiled.size >= maxCached) {
      const oldest = this.#compiled.keys().next().value;
      if (oldest !== undefined) this.#compiled.delete(oldest);
    }
    this.#compiled.set(key, resource);
    return resource;
  }

  #compile(item: ItemDocument, revision: number): Resource {
    // An Ajv of its own per resource: a data model's `$id`s can never clash with another's.
    // Linear-time patterns: a partner's pattern never stalls ingestion (or anyone else's request).
    const ajv = createAjv({ strict: false, linearPatterns: true });
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(item.dataModel ?? {});
    } catch (error) {
      // A model registered before patterns had to run in linear time: refused until its provider updates it.
      throw new DxError(
        'conflict',
        `The data model of ${item.id} does not compile with linear-time patterns (${(error as Error).message}); its provider must update it`,
      );
    }
    const properties = (item.dataModel as { properties?: Record<string, unknown> } | undefined)?.properties;
    return {
      id: item.id,
      provider: item.provider,
      group: item.resourceGroup ?? groupOf(item.id),
      revision,
      releaseLevel: item.releaseLevel ?? 'aggregate',
      attributes: Object.keys(properties ?? {}).filter((a) => !(keyFields as readonly string[]).includes(a)),
      ...(item.source?.upstream ? { upstream: item.source.upstream } : {}),
      retentionDays: item.retentionDays ?? this.#defaultRetentionDays,
      validate,
    };
  }
}
