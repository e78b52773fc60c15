// CPU time from /proc: this process (every thread: the event loop, GC, libuv's pool) and, for PostgreSQL, its server
// processes. Measured around a load run, divided by the requests answered, it is the cost of a request that a busy
// machine cannot hide the way it hides throughput.
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100;

/** user + system time of a /proc stat line, in µs. */
function statMicros(text) {
  // The command name may hold spaces: the fields after it start past its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
}

/** CPU µs used so far by this process. */
export function ownCpu() {
  try {
    return statMicros(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
}

/** CPU µs used so far by each process named `postgres` (the database's backends and helpers), by pid. */
export function postgresCpu() {
  const byPid = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return byPid;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres')
        byPid.set(pid, statMicros(stat));
    } catch {
      // A process that ended meanwhile.
    }
  }
  return byPid;
}

/**
 * CPU µs PostgreSQL used since a snapshot: each process's growth, a process born since counted whole. A backend
 * that ended meanwhile takes its time with it (pools keep theirs open during a run).
 */
export function postgresCpuSince(before) {
  let total = 0;
  for (const [pid, micros] of postgresCpu()) total += micros - (before.get(pid) ?? 0);
  return total;
}
