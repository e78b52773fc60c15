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
  readonly requestId?: string;
  /** Records released, for allowed queries. */
  readonly resultSize?: number;
}

/** An entry of the log: the event with its place (seq, from 1) and time. Its bytes are its canonical JSON. */
export interface AuditEntry extends AuditEvent {
  readonly seq: number;
  readonly time: string;
}

export function entryJson(entry: AuditEntry): string {
  return canonicalJson({ ...entry });
}

/** The organisation that provides an item: `<provider>/<group>[/<resource>]`. */
export function providerOf(event: AuditEvent): string | undefined {
  if (event.target?.provider) return event.target.provider;
  const item = event.target?.item;
  return item?.includes('/') ? item.split('/')[0] : undefined;
}
