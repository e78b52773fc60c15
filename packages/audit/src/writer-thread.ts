// The audit writer thread: one connection of its own that group-commits every append the gateway's event loop sends
// it, so commits (and SQLite's fsync) never stall a request. Answers each append with its entry once durable.
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '@sangam/core';
import { createDatabase, type DatabaseOptions } from '@sangam/db';
import type { AuditEvent } from './entry.js';
import { AuditLog, type EventGroup } from './log.js';
import { builtModule, type GroupModule, type WriterMessage } from './writer.js';

const port = parentPort;
if (!port) throw new Error('the audit writer runs in a worker thread');
const { databaseUrl, databaseOptions, maxBatch } = workerData as {
  databaseUrl: string;
  databaseOptions: DatabaseOptions;
  maxBatch: number;
};

// Entries take their time from the appends: the latest time the event loop sent (its clock, not this thread's).
let latest = 0;
const clock: Clock = { now: () => new Date(latest) };
const handle = createDatabase(databaseUrl, databaseOptions);
const log = new AuditLog(handle.db, { clock, maxBatch });

const groups = new Map<string, Promise<EventGroup<unknown>>>();
function groupOf(module: GroupModule): Promise<EventGroup<unknown>> {
  const key = `${module.url}#${module.name}`;
  let group = groups.get(key);
  if (!group) {
    group = import(builtModule(module.url)).then((loaded: Record<string, EventGroup<unknown>>) => {
      const found = loaded[module.name];
      if (!found || typeof found.decide !== 'function') throw new Error(`no event group ${key}`);
      return found;
    });
    groups.set(key, group);
  }
  return group;
}

let inFlight = 0;
let closing = false;

async function finishIfClosing(): Promise<void> {
  if (!closing || inFlight > 0) return;
  closing = false;
  await handle.destroy();
  port?.postMessage({ id: -1, closed: true });
  port?.close();
}

port.on('message', async (message: WriterMessage) => {
  if (message.kind === 'close') {
    closing = true;
    await finishIfClosing();
    return;
  }
  latest = Math.max(latest, message.at);
  inFlight += 1;
  try {
    const entry =
      message.kind === 'event'
        ? await log.append(message.event as AuditEvent)
        : await log.appendInGroup(await groupOf(message.module), message.item);
    port.postMessage({ id: message.id, entry });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id: message.id, error: { name: failure.name, message: failure.message } });
  } finally {
    inFlight -= 1;
    await finishIfClosing();
  }
});
