import { type ItemId, isGroupId } from './item-id.js';

/** An access token's item scope, as IUDX writes it: `ri:<resource>` or `rg:<group>`. */
export type Scope = `ri:${string}` | `rg:${string}`;

/** The scope of an access token for an item: its group's every resource, or the one resource. */
export function scopeFor(item: ItemId): Scope {
  return isGroupId(item) ? `rg:${item}` : `ri:${item}`;
}

/** The item a scope names, or undefined when the text is no scope. */
export function scopeItem(scope: string): ItemId | undefined {
  return /^r[ig]:./.test(scope) ? scope.slice(3) : undefined;
}

/** True when a token of this scope may be used for the resource: the resource itself, or one of the group's. */
export function inScope(scope: string, resource: ItemId): boolean {
  if (scope.startsWith('ri:')) return scope.slice(3) === resource;
  if (scope.startsWith('rg:')) return resource.startsWith(`${scope.slice(3)}/`);
  return false;
}
