import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientTypes, generatedFile } from '../../../scripts/client-types.mjs';
import { gatewayDocument } from '../src/document.js';

describe("the client's types", () => {
  it('are generated from the gateway document as it is now (pnpm build writes them)', async () => {
    const document = await gatewayDocument();
    const committed = readFileSync(generatedFile, 'utf8');
    // A stale file fails here, in CI, before any client of the gateway finds out.
    expect(committed === (await clientTypes(document)), 'run pnpm build').toBe(true);
    // They describe every operation of the document.
    const operations = Object.values(
      document.paths as Record<string, Record<string, { operationId: string }>>,
    )
      .flatMap((methods) => Object.values(methods))
      .map((o) => o.operationId);
    expect(operations.length).toBeGreaterThan(60);
    for (const id of operations) expect(committed, id).toContain(`    ${id}: {`);
  });
});
