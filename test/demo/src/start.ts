import { initialiseCity, isInitialised } from '@sangam/consent';
import type { Database, Kysely } from '@sangam/db';
import { clock, credentialsBanner, type GatewayExtension } from '@sangam/gateway';
import {
  adapterReport,
  type DemoNewcomer,
  demoAlliance,
  demoBanner,
  runDemoAdapters,
  seedDemo,
} from './demo.js';

/** How long the banner waits for the demo adapters' first poll before it says they are still at it. */
const firstPollWaitMs = 60_000;

/**
 * The demo beside the gateway: on an empty database it creates the city and seeds the alliance through the
 * gateway's API, then runs the demo adapters on feeds made in-process. What the newcomer needs is told last.
 */
export const demoExtension: GatewayExtension = {
  async started({ server, gateway, handle, config, logger, lines, stopping, onStop }) {
    let newcomer: DemoNewcomer | undefined;
    if (!(await isInitialised(handle.db))) {
      const { organisation, admin } = await initialiseCity(
        handle.db,
        { name: config.SANGAM_CITY_NAME, city: config.SANGAM_CITY },
        { clock, scryptCost: config.SANGAM_SCRYPT_COST, audit: gateway.consent.audit },
      );
      lines.push('', '  First start: the city and its administrator were created.');
      lines.push(credentialsBanner(server.url, organisation, admin));
      try {
        newcomer = await seedDemo(gateway.app, handle.db, admin, {
          city: config.SANGAM_CITY,
          cityOrganisation: organisation.id,
          now: clock.now(),
        });
      } catch (error) {
        // The seed goes through the gateway's API, call by call: what it made stays, and the city's credentials
        // above still work. A half-made alliance is not run.
        lines.push(
          `  The demo alliance could not be seeded (${(error as Error).message}). The gateway runs without it; to seed it afresh, stop it and start again on an empty database (for the embedded default, remove ./data).`,
        );
      }
    }
    const alliance = await demoAlliance(handle.db);
    let demo: Awaited<ReturnType<typeof runDemoAdapters>> | undefined;
    let report: string[] = [];
    if (alliance && !stopping()) {
      try {
        demo = await runDemoAdapters(alliance, { db: handle.db, gateway, logger, stateDir: 'data/adapters' });
        const running = demo;
        // Stopped with the process from now on, even while the banner waits for their first polls.
        onStop(() => running.stop());
        const polled = await firstPolls(demo.adapters);
        const resources = demo.adapters.flatMap((a) => Object.values(a.config.resources));
        report = adapterReport(polled, demo.failed, await storedPerResource(handle.db, resources));
      } catch (error) {
        report = [
          `    The demo adapters could not start (${(error as Error).message}); the gateway runs without them.`,
        ];
      }
    }
    // The one-time credentials are shown whatever became of the adapters.
    if (newcomer) lines.push(demoBanner(server.url, newcomer, report));
    else if (report.length > 0) lines.push('', '  The demo adapters, at their first poll:', ...report, '');
  },
};

/** Each adapter's health after its first poll, or as it stands once the wait is over. */
async function firstPolls(adapters: Awaited<ReturnType<typeof runDemoAdapters>>['adapters']) {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, firstPollWaitMs);
  });
  try {
    return await Promise.all(
      adapters.map(async (a) => {
        await Promise.race([a.runtime.cycleDone(), waited]);
        return { config: a.config, health: a.runtime.health };
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** How many records each resource holds now. */
async function storedPerResource(db: Kysely<Database>, resources: string[]): Promise<Map<string, number>> {
  if (resources.length === 0) return new Map();
  const rows = await db
    .selectFrom('records')
    .select((eb) => ['resource_id', eb.fn.countAll<number>().as('n')])
    .where('resource_id', 'in', resources)
    .groupBy('resource_id')
    .execute();
  return new Map(rows.map((r) => [r.resource_id, Number(r.n)]));
}
