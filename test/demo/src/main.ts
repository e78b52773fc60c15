#!/usr/bin/env node
import { runCommand, start, UsageError } from '@sangam/gateway';
import { demoExtension } from './start.js';

/**
 * `sangam-demo [start]`: the gateway with a demo alliance on the embedded default, as the README's first command
 * runs it. Production starts `sangam start`, which knows nothing of the demo.
 */
runCommand(async (argv) => {
  const [command = 'start', ...rest] = argv;
  if (command !== 'start' || rest.length > 0) {
    throw new UsageError(`sangam-demo runs the demo gateway: sangam-demo [start] (given: ${argv.join(' ')})`);
  }
  await start({ extension: demoExtension });
});
