// Reads the banner of a running `sangam start` (its stderr, in the file named first) and gets records from every
// demo resource through the commands it prints, as a newcomer pasting them into a shell would. Exits non-zero,
// naming the resource, when one stays empty past the deadline.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [logFile, deadlineSeconds = '240', pid] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineSeconds) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const shell = (line) =>
  new Promise((done) => execFile('bash', ['-c', line], { encoding: 'utf8' }, (_e, stdout) => done(stdout)));

/** Fails at once when the gateway process has died, rather than waiting out the deadline. */
const alive = () => {
  if (!pid) return;
  try {
    process.kill(Number(pid), 0);
  } catch {
    throw new Error(`the gateway (pid ${pid}) has exited:\n${readFileSync(logFile, 'utf8')}`);
  }
};

let banner = '';
while (!/listening on http/.test(banner)) {
  alive();
  if (Date.now() > deadline) throw new Error(`no listening line in:\n${banner}`);
  await sleep(500);
  banner = readFileSync(logFile, 'utf8');
}
const lines = banner.split('\n');
const commands = lines
  .filter((l) => /^ {4}(ID=|TOKEN=|ACCESS=|curl -s -H "authorization: Bearer \$ACCESS")/.test(l))
  .map((l) => l.trim());
if (commands.length !== 4) throw new Error(`expected the university's four commands in:\n${banner}`);
const [id, token, access, query] = commands;
const bus = /id=(sitilink\/[^']+)'/.exec(query)?.[1];
const more = /The same last line reads id=(\S+?)\.$/m.exec(banner)?.[1];
const bikes = /Bikes: the same with (\{[^}]+\}) and id=(\S+), (.+) or (\S+)\.$/m.exec(banner);
if (!bus || !more || !bikes) throw new Error(`the banner does not name the demo resources:\n${banner}`);
const [, bikeItem, firstBike, middle, lastBike] = bikes;
const bikeGroup = firstBike.split('/').slice(0, 2).join('/');
const bikeResources = [
  firstBike,
  ...middle.split(', ').map((r) => `${bikeGroup}/${r}`),
  `${bikeGroup}/${lastBike}`,
];

const resources = [
  { id: bus, access },
  { id: more, access },
  ...bikeResources.map((r) => ({ id: r, access: access.replace(/-d '\{[^}]+\}'/, `-d '${bikeItem}'`) })),
];
const missing = new Set(resources.map((r) => r.id));
while (missing.size > 0 && Date.now() < deadline) {
  alive();
  for (const r of resources) {
    if (!missing.has(r.id)) continue;
    const out = await shell([id, token, r.access, query.replace(`id=${bus}`, `id=${r.id}`)].join('\n'));
    if (/"results":\[\{"id"/.test(out)) {
      const n = JSON.parse(out).results.length;
      console.log(`  ${r.id}: ${n} records through the printed commands`);
      missing.delete(r.id);
    }
  }
  if (missing.size > 0) await sleep(5000);
}
if (missing.size > 0) {
  console.error(`no records from ${[...missing].join(', ')} through the printed commands`);
  process.exit(1);
}
console.log(`every demo resource answered (${resources.length})`);
