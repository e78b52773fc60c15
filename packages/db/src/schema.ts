/**
 * The gateway's tables, as kysely sees them. Every service shares one database, so the schema lives here once.
 * Times are ISO 8601 UTC text (`2026-11-27T10:00:00.000Z`), which sorts and compares the same on both backends.
 */

import type { OrganisationKind } from '@sangam/core';
import type { ColumnType } from 'kysely';

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  city: string;
  created_at: string;
}

export type ClientStatus = 'active' | 'revoked';

export interface ClientTable {
  id: string;
  organisation_id: string;
  name: string;
  /** JSON array of Role. */
  roles: string;
  /** `scrypt$N$r$p$salt$hash`, base64url parts. */
  secret_hash: string;
  status: ClientStatus;
  created_at: string;
  secret_rotated_at: string | null;
  revoked_at: string | null;
}

export type SigningKeyStatus = 'current' | 'previous' | 'retired';

export interface SigningKeyTable {
  kid: string;
  alg: string;
  /** Public JWK as JSON. */
  public_jwk: string;
  /** Private JWK as JSON. */
  private_jwk: string;
  status: SigningKeyStatus;
  created_at: string;
  retired_at: string | null;
}

/** Gateway-wide facts set once, e.g. `city_organisation_id` by `sangam admin init`. */
export interface SettingTable {
  name: string;
  value: string;
}

export interface AuditHeadTable {
  id: number;
  size: number;
}

/** One audit entry; `entry` is its canonical JSON (RFC 8785), the bytes its Merkle leaf hashes. */
export interface AuditEntryTable {
  seq: number;
  time: string;
  action: string;
  decision: 'allow' | 'deny';
  actor_client: string | null;
  actor_org: string | null;
  provider_org: string | null;
  consumer_org: string | null;
  target_item: string | null;
  target_consent: string | null;
  target_mou: string | null;
  request_id: string | null;
  entry: string;
}

/** The hash (base64) of the perfect subtree covering leaves [idx·2^level, (idx+1)·2^level). */
export interface AuditNodeTable {
  level: number;
  idx: number;
  hash: string;
}

export interface AuditCheckpointTable {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  jws: string;
  /** The checkpoint as a C2SP signed note with the gateway's signature; absent on checkpoints made before notes. */
  note: string | null;
}

/** A witness's key, registered for an organisation by the city admin. */
export interface AuditWitnessTable {
  /** The key name (a schema-less URL), unique. */
  name: string;
  organisation: string;
  /** The C2SP verifier key: `name+hex(key id)+base64(0x04 ‖ Ed25519 public key)`. */
  verifier_key: string;
  created_at: string;
}

/** A witness's cosignature of one checkpoint: the base64 of a cosignature/v1 signature line. */
export interface AuditCosignatureTable {
  tree_size: number;
  witness: string;
  signature: string;
}

export type ItemType = 'provider' | 'resourceGroup' | 'resource';

/** A catalogue item; `document` is the item as the API serves it, the other columns are for finding it. */
export interface CatalogueItemTable {
  id: string;
  type: ItemType;
  provider: string;
  group_id: string | null;
  name: string;
  description: string;
  tags_text: string;
  facets: string;
  city: string | null;
  access_policy: string | null;
  release_level: string | null;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  status: 'live' | 'retired';
  revision: number;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
  document: string;
}

/** SQLite only: the FTS5 index of items; its rowid is the item's rowid. */
export interface CatalogueFtsTable {
  name: string;
  description: string;
  tags: string;
  facets: string;
}

export type MouState = 'draft' | 'awaiting-signatures' | 'active' | 'suspended' | 'terminated';

export interface MouTable {
  id: string;
  city_org: string;
  title: string;
  terms: string;
  effective_from: string;
  ends_at: string;
  notice_days: number;
  document_sha256: string;
  state: MouState;
  version: number;
  terminates_at: string | null;
  artefact: string | null;
  pending: string | null;
  created_at: string;
  updated_at: string;
}

export interface MouPartyTable {
  mou_id: string;
  organisation_id: string;
  role: 'city' | 'partner';
  signed_at: string | null;
  signed_by: string | null;
  /** Set when a partner withdrew from the MoU: it is no longer a party from then on. */
  left_at: string | null;
}

export interface ConsentTable {
  id: string;
  mou_id: string;
  consumer_org: string;
  provider_org: string;
  terms: string;
  rate_limit: number;
  valid_from: string;
  valid_to: string;
  state: 'requested' | 'active' | 'denied' | 'paused' | 'revoked';
  artefact: string | null;
  created_at: string;
  updated_at: string;
}

/** One ingested record of a resource; `body` is its JSON. */
export interface RecordTable {
  resource_id: string;
  entity_id: string;
  observed_at: string;
  ingested_at: string;
  body: string;
  min_lon: number | null;
  min_lat: number | null;
  max_lon: number | null;
  max_lat: number | null;
  /** The distinct individuals behind an aggregate cell (null for other records): checked at release, never released. */
  individuals: number | null;
  /** The record's place in its resource's feed (the data version of its batch, its place in it); subscriptions. */
  feed_version: number | null;
  feed_position: number | null;
}

/** A resource's data version: moved by every change to its stored records. */
export interface ResourceDataVersionTable {
  resource_id: string;
  version: number;
}

export type LatestRecordTable = Omit<RecordTable, 'ingested_at'>;

export interface RateWindowTable {
  consent_id: string;
  window_start: string;
  requests: number;
}

export interface UsageDailyTable {
  day: string;
  consent_id: string;
  item: string;
  consumer_org: string;
  provider_org: string;
  requests: number;
  denied: number;
  records: number;
}

export interface AdapterStatusTable {
  name: string;
  kind: string;
  provider: string;
  /** The adapter's health as JSON. */
  health: string;
  updated_at: string;
}

/** ε spent on noisy counts per resource, local day and released cell (millionths, exact when summed). */
export interface PrivacyLedgerTable {
  resource_id: string;
  day: string;
  cell: string;
  adapter: string;
  provider: string;
  epsilon_micro: number;
  draws: number;
  budget_micro: number | null;
  updated_at: string;
}

/** A draw of keyed noise paid for (a token of cell, period, ε and count): made again, it is not paid twice. */
export interface PrivacyDrawTable {
  resource_id: string;
  day: string;
  cell: string;
  draw: string;
}

/** The header a proxy-mode upstream is called with, its value sealed at rest when a sealing secret is set. */
export interface UpstreamCredentialTable {
  item_id: string;
  origin: string;
  header: string;
  value: string;
  updated_at: string;
}

/** A consumer's subscription to a resource's new records under one consent. */
export interface SubscriptionTable {
  id: string;
  consent_id: string;
  consumer_org: string;
  client_id: string;
  resource_id: string;
  /** JSON: attrs, q, geoQ, throttling. */
  spec: string;
  /** An https URL (webhook) or `urn:sangam:sse` (the subscription's own event stream). */
  endpoint: string;
  status: 'active' | 'ended';
  ended_reason: string | null;
  cursor_version: number;
  cursor_position: number;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  last_error: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

/** A webhook batch given up after its retries: where it lay in the feed, never its data. */
export interface SubscriptionDeadLetterTable {
  subscription_id: string;
  from_version: number;
  from_position: number;
  to_version: number;
  to_position: number;
  records: number;
  attempts: number;
  reason: string;
  at: string;
}

export interface Database {
  organisations: OrganisationTable;
  clients: ClientTable;
  signing_keys: SigningKeyTable;
  settings: SettingTable;
  audit_head: AuditHeadTable;
  audit_entries: AuditEntryTable;
  audit_nodes: AuditNodeTable;
  audit_checkpoints: AuditCheckpointTable;
  audit_witnesses: AuditWitnessTable;
  audit_cosignatures: AuditCosignatureTable;
  catalogue_items: CatalogueItemTable;
  catalogue_fts: CatalogueFtsTable;
  mous: MouTable;
  mou_parties: MouPartyTable;
  consents: ConsentTable;
  records: RecordTable;
  latest_records: LatestRecordTable;
  resource_data_versions: ResourceDataVersionTable;
  rate_windows: RateWindowTable;
  usage_daily: UsageDailyTable;
  adapter_status: AdapterStatusTable;
  privacy_ledger: PrivacyLedgerTable;
  privacy_draws: PrivacyDrawTable;
  upstream_credentials: UpstreamCredentialTable;
  subscriptions: SubscriptionTable;
  subscription_dead_letters: SubscriptionDeadLetterTable;
  members: MemberTable;
  member_invitations: MemberInvitationTable;
  member_sessions: MemberSessionTable;
  problem_statements: ProblemStatementTable;
  proposals: ProposalTable;
  mou_outcomes: MouOutcomeTable;
  member_passkeys: MemberPasskeyTable;
  webauthn_challenges: WebauthnChallengeTable;
  background_jobs: BackgroundJobTable;
}

export type MemberStatus = 'active' | 'suspended';

/** A person of an organisation, who signs in to the console. */
export interface MemberTable {
  id: string;
  organisation_id: string;
  /** Lower-cased: one person, one address, across the gateway. */
  email: string;
  name: string;
  /** JSON array of Role. */
  roles: string;
  /** `scrypt$N$r$p$salt$hash`, as client secrets. */
  password_hash: string;
  status: MemberStatus;
  created_at: string;
  /** The member or client who sent the invitation. */
  invited_by: string;
  suspended_at: string | null;
}

/** A one-time link to join an organisation; its secret is kept only as a hash. */
export interface MemberInvitationTable {
  token_hash: string;
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  /** JSON array of Role. */
  roles: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

/** A console session; its cookie's value is kept only as a hash. */
export interface MemberSessionTable {
  id_hash: string;
  member_id: string;
  csrf_token: string;
  /** The address the session was opened from. */
  source: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end of the session, whatever its use. */
  expires_at: string;
  ended_at: string | null;
}

export type ProblemStatus = 'open' | 'in-progress' | 'solved' | 'closed';

/** A problem the city asks partners to help solve, published on the console. */
export interface ProblemStatementTable {
  id: string;
  title: string;
  problem: string;
  /** Who is affected, as the city states it. */
  affected: string;
  /** JSON array of catalogue item ids the problem concerns. */
  datasets: string;
  status: ProblemStatus;
  /** The member or client of the city who wrote it. */
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** What a potential partner offers or wants, sent through the console's public form to the city's inbox. */
export interface ProposalTable {
  id: string;
  organisation: string;
  contact_name: string;
  contact_email: string;
  offer: string;
  /** The address it was sent from, for the spam limit. */
  source: string;
  created_at: string;
}

/** What came of an ended MoU, as the city records it for the public archive. */
export interface MouOutcomeTable {
  mou_id: string;
  outcome: string;
  recorded_by: string;
  recorded_at: string;
}

/** A person's passkey: a WebAuthn credential's public key and its signature counter. */
export interface MemberPasskeyTable {
  id: string;
  member_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** bigint: PostgreSQL gives it back as text. */
  counter: ColumnType<string | number, number, number>;
  /** JSON array of the authenticator's transports. */
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn ceremony's challenge, used once and only until it expires. */
export interface WebauthnChallengeTable {
  id: string;
  challenge: string;
  member_id: string | null;
  expires_at: string;
}

/** A background job's lease and its last run, shared by every process on the database. */
export interface BackgroundJobTable {
  name: string;
  /** The process that holds the lease (its instance id). */
  holder: string;
  lease_expires_at: string;
  last_run_at: string | null;
  last_runner: string | null;
  /** PostgreSQL returns a bigint as text. */
  runs: ColumnType<string | number, number | undefined, number>;
}
