import type { ServiceCode } from '@sangam/core';

/** The success envelope of DESIGN.md §9: `{type: "urn:dx:<service>:success", title, results, totalHits?}`. */
export function success<T>(
  service: ServiceCode,
  results: T,
  extra: { totalHits?: number; title?: string } = {},
): { type: string; title: string; results: T; totalHits?: number } {
  return {
    type: `urn:dx:${service}:success`,
    title: extra.title ?? 'Success',
    results,
    ...(extra.totalHits === undefined ? {} : { totalHits: extra.totalHits }),
  };
}
