import { leafHashOfText, RootBuilder, toBase64 } from '@sangam/audit';
import type { Database, Kysely } from '@sangam/db';

/**
 * What someone who edits the database does to hide an edit: every stored subtree hash recomputed from the entries
 * as they now are, so the tree agrees with them. Only a signed checkpoint or a witness can still tell.
 */
export async function launderAuditTree(db: Kysely<Database>): Promise<void> {
  const rows = await db.selectFrom('audit_entries').select(['seq', 'entry']).orderBy('seq').execute();
  const builder = new RootBuilder();
  const nodes: Database['audit_nodes'][] = [];
  for (const row of rows) {
    for (const node of builder.push(leafHashOfText(row.entry))) {
      nodes.push({ level: node.level, idx: node.index, hash: toBase64(node.hash) });
    }
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audit_nodes').execute();
    for (let i = 0; i < nodes.length; i += 5000) {
      await trx
        .insertInto('audit_nodes')
        .values(nodes.slice(i, i + 5000))
        .execute();
    }
    await trx.updateTable('audit_head').set({ size: rows.length }).where('id', '=', 1).execute();
  });
}
