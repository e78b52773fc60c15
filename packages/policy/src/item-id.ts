/**
 * Catalogue ids are readable paths (DESIGN.md §3): `<provider>`, `<provider>/<group>` for a resource group (a
 * dataset), `<provider>/<group>/<resource>` for a resource. Everything that asks "whose is this" or "which dataset
 * is this in" asks here.
 */
export type ItemId = string;

/** The provider whose item this is: the first segment. */
export function providerOf(item: ItemId): string {
  return item.split('/')[0] ?? '';
}

/** The resource group (dataset) an item belongs to; a group is its own. */
export function groupOf(item: ItemId): ItemId {
  return item.split('/').slice(0, 2).join('/');
}

/** True for a resource group's id (two segments). */
export function isGroupId(item: ItemId): boolean {
  return item.split('/').length === 2;
}
