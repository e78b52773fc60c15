import type { ItemId } from './item-id.js';

/** True when a consent's (or an MoU's) items cover `item`: the item itself, or a group it belongs to. */
export function covers(items: readonly ItemId[], item: ItemId): boolean {
  return items.some((granted) => granted === item || item.startsWith(`${granted}/`));
}
