export * from './factory.js';
export * from './migrate.js';
export * from './schema.js';
export * from './time.js';
export { sql, type Kysely, type Transaction, type Selectable, type Insertable, type Updateable } from 'kysely';
export * from './settings.js';
