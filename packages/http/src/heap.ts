import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets its old generation grow past what the last full collection kept before it collects again, in
 * percent; 0 leaves V8's own rule. V8's own rule lets the heap grow to several times what is live, which a process
 * that holds many live streams fills with garbage promoted from their deliveries: under bench:stream, 250 MB of heap
 * for 60 MB live. The flag is read at each collection, so setting it once the process runs holds from the next.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.trunc(percent)}`);
}
