// One load run for a benchmark, in its own process so that the server's CPU time is the server's alone:
// node test/bench/load.mjs '{"url":…,"connections":50,"duration":5,"headers":{…}}' prints autocannon's result.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
autocannon(
  {
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    headers: options.headers,
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
