import type { Caller } from '@sangam/core';
import type { Database } from '@sangam/db';
import { providerOf } from '@sangam/policy';
import { canonicalJson } from './canonical.js';

export type Decision = 'allow' | 'deny';

/** What happened, as a caller reports it; the log adds the sequence number and the time. */
export interface AuditEvent {
  /** Dotted verb, e.g. `auth.token`, `identity.client.create`, `consent.grant`, `resource.query`. */
  readonly action: string;
  readonly decision: Decision;
  readonly reason?: string;
  readonly actor?: { readonly client?: string; readonly organisation?: string };
  readonly target?: {
    readonly item?: string;
    readonly consent?: string;
    readonly mou?: string;
    readonly client?: string;
    readonly organisation?: string;
    /** The organisation whose data or item this is about (defaults to the first segment of `item`). */
    readonly provider?: string;
    /** The consuming organisation this is about, e.g. the holder of a consent. */
    readonly consumer?: string;
  };
  /** The gateway's id of the request. */
  readonly requestId?: string;
  /** The client's own `X-Request-Id`, as sent: a trace for the client, trusted for nothing. */
  readonly clientRequestId?: string;
  /** Records released, for allowed queries. */
  readonly resultSize?: number;
}

/** An entry of the log: the event with its place (seq, from 1) and time. Its bytes are its canonical JSON. */
export interface AuditEntry extends AuditEvent {
  readonly seq: number;
  readonly time: string;
}

const entryKeys = new Set([
  'action',
  'actor',
  'clientRequestId',
  'decision',
  'reason',
  'requestId',
  'resultSize',
  'seq',
  'target',
  'time',
]);
const actorKeys = ['client', 'organisation'] as const;
const targetKeys = ['client', 'consent', 'consumer', 'item', 'mou', 'organisation', 'provider'] as const;

/**
 * The entry's canonical JSON (RFC 8785). Entries have a fixed shape, so members are written in their sorted order
 * directly; anything of another shape goes through the general canonicaliser. Both give the same bytes.
 */
export function entryJson(entry: AuditEntry): string {
  const actor = entry.actor as Record<string, unknown> | undefined;
  const target = entry.target as Record<string, unknown> | undefined;
  const flat = (value: Record<string, unknown> | undefined, keys: readonly string[]) =>
    value === undefined ||
    Object.keys(value).every(
      (k) => keys.includes(k) && (value[k] === undefined || typeof value[k] === 'string'),
    );
  const known =
    Object.keys(entry).every((k) => entryKeys.has(k)) &&
    flat(actor, actorKeys) &&
    flat(target, targetKeys) &&
    Number.isSafeInteger(entry.seq) &&
    (entry.resultSize === undefined || Number.isFinite(entry.resultSize));
  if (!known) return canonicalJson({ ...entry });
  const members: string[] = [`"action":${JSON.stringify(entry.action)}`];
  if (actor) members.push(`"actor":${flatObject(actor, actorKeys)}`);
  if (entry.clientRequestId !== undefined)
    members.push(`"clientRequestId":${JSON.stringify(entry.clientRequestId)}`);
  members.push(`"decision":${JSON.stringify(entry.decision)}`);
  if (entry.reason !== undefined) members.push(`"reason":${JSON.stringify(entry.reason)}`);
  if (entry.requestId !== undefined) members.push(`"requestId":${JSON.stringify(entry.requestId)}`);
  if (entry.resultSize !== undefined) members.push(`"resultSize":${JSON.stringify(entry.resultSize)}`);
  members.push(`"seq":${entry.seq}`);
  if (target) members.push(`"target":${flatObject(target, targetKeys)}`);
  members.push(`"time":${JSON.stringify(entry.time)}`);
  return `{${members.join(',')}}`;
}

function flatObject(value: Record<string, unknown>, keys: readonly string[]): string {
  const members: string[] = [];
  for (const key of keys)
    if (value[key] !== undefined) members.push(`"${key}":${JSON.stringify(value[key])}`);
  return `{${members.join(',')}}`;
}

/** The columns kept beside an entry for filters and visibility: each is recomputed from the entry when verifying. */
export type EntryColumns = Omit<Database['audit_entries'], 'entry'>;

export function entryColumns(entry: AuditEntry): EntryColumns {
  return {
    seq: entry.seq,
    time: entry.time,
    action: entry.action,
    decision: entry.decision,
    actor_client: entry.actor?.client ?? null,
    actor_org: entry.actor?.organisation ?? null,
    provider_org: providerOfEvent(entry) ?? null,
    consumer_org: entry.target?.consumer ?? null,
    target_item: entry.target?.item ?? null,
    target_consent: entry.target?.consent ?? null,
    target_mou: entry.target?.mou ?? null,
    request_id: entry.requestId ?? null,
  };
}

/** The organisation that provides an event's item: named in the event, or read from a group's or resource's id. */
export function providerOfEvent(event: AuditEvent): string | undefined {
  if (event.target?.provider) return event.target.provider;
  const item = event.target?.item;
  return typeof item === 'string' && item.includes('/') ? providerOf(item) : undefined;
}

/** The request ids an entry carries: the gateway's, and the client's own beside it when it sent one. */
export function requestIds(request: {
  readonly requestId: string;
  readonly clientRequestId?: string | undefined;
}): Pick<AuditEvent, 'requestId' | 'clientRequestId'> {
  return request.clientRequestId === undefined
    ? { requestId: request.requestId }
    : { requestId: request.requestId, clientRequestId: request.clientRequestId };
}

/** The event of a change a caller made (allowed: refusals are answered, not changed), for any service. */
export function changeEvent(
  caller: Caller,
  action: string,
  target: AuditEvent['target'],
  reason?: string,
): AuditEvent {
  return {
    action,
    decision: 'allow',
    actor: { client: caller.principal.clientId, organisation: caller.principal.organisationId },
    target,
    ...requestIds(caller),
    ...(reason ? { reason } : {}),
  };
}
