import { describe, expect, it } from 'vitest';
import { FairQueue } from '../src/identity/fair-queue.js';

describe('secret checks taking turns between addresses', () => {
  it('serve a newcomer within a turn, not after a flood from one address', async () => {
    const queue = new FairQueue({ concurrency: 1, perSource: 100 });
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const task = (name: string) => async () => {
      order.push(name);
      await gate;
      return name;
    };
    const flood = Array.from({ length: 20 }, (_, i) => queue.run('203.0.113.9', task(`flood-${i}`)));
    const newcomer = queue.run('198.51.100.7', task('newcomer'));
    release();
    await Promise.all([...flood, newcomer]);
    // The flood's first check was running; the newcomer's came one turn later, before the flood's other 18.
    expect(order.slice(0, 3)).toEqual(['flood-0', 'flood-1', 'newcomer']);
  });

  it('refuse an address with too many checks waiting, and no one else', async () => {
    const queue = new FairQueue({ concurrency: 1, perSource: 3 });
    const never = () => new Promise<string>(() => {});
    for (let i = 0; i < 4; i += 1) void queue.run('203.0.113.9', never);
    await expect(queue.run('203.0.113.9', never)).rejects.toMatchObject({ problem: 'tooManyRequests' });
    const other = queue.run('198.51.100.7', async () => 'queued');
    expect(other).toBeInstanceOf(Promise);
  });
});
