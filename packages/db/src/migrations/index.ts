import type { Migration } from 'kysely';
import { identity } from './0001_identity.js';
import { audit } from './0002_audit.js';
import { catalogue } from './0003_catalogue.js';
import { mous } from './0004_mous.js';
import { consents } from './0005_consents.js';
import { records } from './0006_records.js';
import { mouWithdrawal } from './0007_mou_withdrawal.js';
import { adapterStatus } from './0008_adapter_status.js';
import { recordIndividuals } from './0009_record_individuals.js';
import { dataVersions } from './0010_data_versions.js';
import { witnesses } from './0011_witnesses.js';
import { privacyLedger } from './0012_privacy_ledger.js';
import { upstreamCredentials } from './0013_upstream_credentials.js';
import { subscriptions } from './0014_subscriptions.js';
import { people } from './0015_people.js';
import { cityDesk } from './0016_city_desk.js';
import { passkeys } from './0017_passkeys.js';
import { backgroundJobs } from './0018_background_jobs.js';
import { adapterStatusPerProvider } from './0019_adapter_status_per_provider.js';

/** Every migration, in order. Names sort; never rename or edit one that has shipped, add a new one. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_identity': identity,
  '0002_audit': audit,
  '0003_catalogue': catalogue,
  '0004_mous': mous,
  '0005_consents': consents,
  '0006_records': records,
  '0007_mou_withdrawal': mouWithdrawal,
  '0008_adapter_status': adapterStatus,
  '0009_record_individuals': recordIndividuals,
  '0010_data_versions': dataVersions,
  '0011_witnesses': witnesses,
  '0012_privacy_ledger': privacyLedger,
  '0013_upstream_credentials': upstreamCredentials,
  '0014_subscriptions': subscriptions,
  '0015_people': people,
  '0016_city_desk': cityDesk,
  '0017_passkeys': passkeys,
  '0018_background_jobs': backgroundJobs,
  '0019_adapter_status_per_provider': adapterStatusPerProvider,
};
