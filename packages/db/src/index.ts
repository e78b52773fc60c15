export {
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
export * from './copy.js';
export * from './dialect.js';
export * from './factory.js';
export * from './jobs.js';
export * from './ledger.js';
export * from './migrate.js';
export * from './notices.js';
export * from './prepared.js';
export * from './schema.js';
export * from './settings.js';
export * from './statistics.js';
export * from './time.js';
