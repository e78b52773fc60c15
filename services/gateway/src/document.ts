import { ManualClock } from '@sangam/core';
import { createDatabase, migrateToLatest } from '@sangam/db';
import { createLogger } from '@sangam/http';
import { loadGatewayConfig } from './config.js';
import { buildGateway } from './gateway.js';

/**
 * The gateway's OpenAPI document, without a server or a database of anyone's: the gateway composed over an empty
 * in-memory database, asked for /openapi.json. What `sangam openapi` prints and the client's types are made from.
 */
export async function gatewayDocument(): Promise<Record<string, unknown>> {
  const database = createDatabase('sqlite::memory:');
  try {
    await migrateToLatest(database);
    const gateway = await buildGateway(database, loadGatewayConfig({ LOG_LEVEL: 'silent' }), {
      logger: createLogger({ level: 'silent' }),
      clock: new ManualClock(new Date(0)),
    });
    try {
      const answer = await gateway.app.request('/openapi.json');
      return (await answer.json()) as Record<string, unknown>;
    } finally {
      await gateway.close();
    }
  } finally {
    await database.destroy();
  }
}
