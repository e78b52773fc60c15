import type { FieldError } from '@sangam/core';
import { RE2JS } from 're2js';

/**
 * Patterns of schemas that partners write (data models) run on RE2's linear-time engine: a pattern like `^(a+)+$`
 * costs one pass over the value instead of time doubling with every character. RE2 refuses what it cannot run in
 * linear time (lookarounds, backreferences), which registration reports.
 */
export const linearRegExp = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (value: string) => compiled.test(value) };
  },
  { code: 'linearRegExp' },
);

/** How large and intricate a partner's schema may be: compiling and running it must stay cheap. */
export const schemaLimits = { bytes: 64 * 1024, depth: 32, keywords: 5000, patternLength: 1000 } as const;

/**
 * Why a partner's schema is too large, too deep or carries a pattern RE2 cannot run, each naming the keyword
 * (a JSON Pointer under `base`); empty when it is fine.
 */
export function schemaComplexityErrors(schema: unknown, base: string): FieldError[] {
  const errors: FieldError[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? '');
  if (bytes > schemaLimits.bytes) {
    return [{ field: base, message: `is ${bytes} bytes; at most ${schemaLimits.bytes} are accepted` }];
  }
  let keywords = 0;
  const pattern = (value: unknown, at: string) => {
    if (typeof value !== 'string') return;
    if (value.length > schemaLimits.patternLength) {
      errors.push({ field: at, message: `is longer than ${schemaLimits.patternLength} characters` });
      return;
    }
    try {
      RE2JS.compile(value);
    } catch (error) {
      errors.push({
        field: at,
        message: `is not a pattern that runs in linear time: ${(error as Error).message}`,
      });
    }
  };
  const walk = (node: unknown, at: string, depth: number) => {
    if (errors.length >= 20) return;
    if (depth > schemaLimits.depth) {
      errors.push({ field: at, message: `nests deeper than ${schemaLimits.depth} levels` });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, `${at}/${i}`, depth + 1);
      });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      keywords += 1;
      const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === 'pattern') pattern(value, path);
      if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
        for (const name of Object.keys(value))
          pattern(name, `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
      walk(value, path, depth + 1);
    }
  };
  walk(schema, base, 0);
  if (keywords > schemaLimits.keywords) {
    errors.push({
      field: base,
      message: `has ${keywords} keywords; at most ${schemaLimits.keywords} are accepted`,
    });
  }
  return errors;
}
