import type { FieldError } from '@sangam/core';
import { geometryErrors } from '@sangam/geo';
import { createAjv, schemaComplexityErrors, upstreamErrors } from '@sangam/http';

// Data models may carry annotations of their own (units, descriptions in other keywords): not strict. One Ajv is
// reused, since making one costs milliseconds and bulk imports check thousands; a data model that names schemas
// (`$id`) gets an Ajv of its own, so it can never replace or remove one the shared Ajv holds.
const shared = createAjv({ strict: false, linearPatterns: true });
const draft07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/** Why a `dataModel` is not a JSON Schema (draft-07) that compiles; empty when it is fine. */
export function dataModelErrors(dataModel: unknown): FieldError[] {
  const schema = dataModel as Record<string, unknown>;
  if (schema.$schema !== undefined && (typeof schema.$schema !== 'string' || !draft07.test(schema.$schema))) {
    return [
      {
        field: '/dataModel/$schema',
        message: 'only JSON Schema draft-07 is supported (or leave $schema out)',
      },
    ];
  }
  // Too large, too deep, or a pattern RE2 cannot run: refused before anything compiles it.
  const complexity = schemaComplexityErrors(dataModel, '/dataModel');
  if (complexity.length > 0) return complexity;
  const ownsIds = JSON.stringify(dataModel).includes('"$id"');
  const ajv = ownsIds ? createAjv({ strict: false, linearPatterns: true }) : shared;
  try {
    if (!ajv.validateSchema(schema)) {
      return (ajv.errors ?? []).map((e) => ({
        field: `/dataModel${e.instancePath}`,
        message: `is not a valid JSON Schema: ${e.message ?? 'invalid'}`,
      }));
    }
    ajv.compile(schema);
    return [];
  } catch (error) {
    return [{ field: '/dataModel', message: `does not compile: ${(error as Error).message}` }];
  } finally {
    if (!ownsIds) ajv.removeSchema(schema);
  }
}

/** Checks beyond the schema: geometry, data model, upstream. */
export function itemErrors(
  item: {
    location?: { type: string; coordinates: unknown };
    dataModel?: unknown;
    source?: { upstream?: string };
  },
  allowHosts: readonly string[],
): FieldError[] {
  return [
    ...(item.location ? geometryErrors(item.location, '/location/coordinates') : []),
    ...(item.dataModel !== undefined ? dataModelErrors(item.dataModel) : []),
    ...(item.source?.upstream ? upstreamErrors(item.source.upstream, allowHosts) : []),
  ];
}
