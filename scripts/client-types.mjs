// The client's types, made from the gateway's OpenAPI document by openapi-typescript. `pnpm build` writes them to
// packages/client/src/generated/openapi.ts (after building the gateway that makes the document, then builds the client
// again); CI fails when the committed file differs from what the build wrote, and a test fails while it is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const header = `/**
 * The gateway's API as types, generated from its OpenAPI document by openapi-typescript in \`pnpm build\`.
 * Do not edit: change the routes' declarations and generate again.
 */

`;

/** The TypeScript of a document: its paths, operations and components. */
export async function clientTypes(document) {
  return header + astToString(await openapiTS(document, { alphabetize: true }));
}

export const generatedFile = fileURLToPath(
  new URL('../packages/client/src/generated/openapi.ts', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { gatewayDocument } = await import('@sangam/gateway');
  const types = await clientTypes(await gatewayDocument());
  // Written only when it changed, so an unchanged build does not rebuild the client.
  if (!existsSync(generatedFile) || readFileSync(generatedFile, 'utf8') !== types) {
    writeFileSync(generatedFile, types);
    console.log(`wrote ${generatedFile}`);
  }
}
