// The client's types, made from the gateway's OpenAPI document by openapi-typescript. `pnpm client:types` writes
// them to packages/client/src/generated/openapi.ts; a test fails while that file differs from what this makes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const header = `/**
 * The gateway's API as types, generated from its OpenAPI document by openapi-typescript (\`pnpm client:types\`).
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
  const { gatewayDocument } = await import('@sangam/cli');
  writeFileSync(generatedFile, await clientTypes(await gatewayDocument()));
  console.log(`wrote ${generatedFile}`);
}
