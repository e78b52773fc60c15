import type { Rendered } from '../query/render.js';

/** A rendered answer, with what its audit entry reports of it. */
export interface RenderedPage extends Rendered {
  readonly released: number;
  readonly total: number;
}

/**
 * Answers already rendered, by everything that makes them: the resource's revision and data version, the selection
 * (bounds, filter, area, page), the attributes released, k and the format. The data version moves with every change
 * to the stored records, in the same transaction, and is read with the release rule's facts, so a page is served
 * again only while its data is unchanged, whichever process changed it. Only the rendering is spared: every request
 * is still decided, metered and audited. Least recently used pages go first once `maxBytes` is reached.
 */
export class RenderedPages {
  readonly #pages = new Map<string, RenderedPage>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get(key: string): RenderedPage | undefined {
    const page = this.#pages.get(key);
    if (page) {
      // Most recently used last, so the oldest is first to go.
      this.#pages.delete(key);
      this.#pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: RenderedPage): void {
    const size = page.body.length + key.length;
    if (size > this.#maxBytes / 8) return;
    this.#remove(key);
    while (this.#bytes + size > this.#maxBytes) {
      const oldest = this.#pages.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
    this.#pages.set(key, page);
    this.#bytes += size;
  }

  #remove(key: string): void {
    const page = this.#pages.get(key);
    if (!page) return;
    this.#pages.delete(key);
    this.#bytes -= page.body.length + key.length;
  }
}
