import { createAjv } from '@sangam/http';
import { describe, expect, it } from 'vitest';
import { gatewayDocument } from '../src/document.js';

interface Media {
  schema: object;
  example?: unknown;
}
interface Operation {
  operationId: string;
  parameters?: { name: string; required: boolean; schema: object; example?: unknown }[];
  requestBody?: { content: Record<string, Media> };
}

describe("the gateway document's examples", () => {
  it('show a valid request for every operation: each body and each required parameter', async () => {
    const document = (await gatewayDocument()) as { paths: Record<string, Record<string, Operation>> };
    const ajv = createAjv({ strict: false });
    const missing: string[] = [];
    const invalid: string[] = [];
    let checked = 0;
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        const shown: [string, object, unknown][] = [
          ...Object.entries(operation.requestBody?.content ?? {}).map(
            ([type, media]) => [type, media.schema, media.example] as [string, object, unknown],
          ),
          ...(operation.parameters ?? [])
            .filter((p) => p.required)
            .map((p) => [p.name, p.schema, p.example] as [string, object, unknown]),
        ];
        for (const [name, schema, example] of shown) {
          checked++;
          if (example === undefined) missing.push(`${operation.operationId} ${name}`);
          // Path and query values travel as text: a number shown for one is checked as the text it becomes.
          else if (!ajv.validate(schema, example) && !ajv.validate(schema, String(example))) {
            invalid.push(`${operation.operationId} ${name}: ${ajv.errorsText()}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(invalid).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });
});
