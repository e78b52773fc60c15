// A separate process that appends to the audit log and prints each acknowledged sequence number on its own line.
// Usage: node appender.mjs <database-url> <count|"forever"> [in-flight]
import { AuditLog } from '@sangam/audit';
import { createDatabase } from '@sangam/db';

const [url, countArg, inFlightArg] = process.argv.slice(2);
const total = countArg === 'forever' ? Number.POSITIVE_INFINITY : Number(countArg);
const inFlight = Number(inFlightArg ?? 20);
const handle = createDatabase(url, { poolSize: 4 });
const log = new AuditLog(handle.db);
let started = 0;

async function worker() {
  while (started < total) {
    started += 1;
    const entry = await log.append({
      action: 'resource.query',
      decision: 'allow',
      actor: { client: `cl_${process.pid}`, organisation: 'svnit' },
      target: { item: 'sitilink/buses/positions' },
      resultSize: started,
    });
    process.stdout.write(`${entry.seq}\n`);
  }
}

await Promise.all(Array.from({ length: inFlight }, worker));
await handle.destroy();
