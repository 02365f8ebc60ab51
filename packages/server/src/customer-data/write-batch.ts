/**
 * Multi-row inserts in chunks that stay under the 65 535 bind parameters a PostgreSQL statement
 * may carry, shared by the Customer Data writers (`write-objects.ts`, `write-bills.ts`,
 * `write-aggregations.ts`). Rows that are already there (same primary key) are left as they are.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { Insertable, Kysely } from 'kysely'
import type { Database } from '../db/database.js'

// Below the protocol's 65 535 parameters with room to spare.
const MAX_PARAMETERS = 30_000

/**
 * Inserts `rows` into `table` with as few statements as the parameter limit allows, skipping
 * rows whose key exists (`on conflict do nothing`). Returns how many rows were new.
 */
export async function insertRows<T extends keyof Database>(db: Kysely<Database>, table: T, rows: readonly Insertable<Database[T]>[]): Promise<number> {
  if (rows.length === 0) return 0
  const columns = Math.max(1, Object.keys(rows[0] as object).length)
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns))
  let inserted = 0
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size)
    // Kysely cannot relate a generic table name to its row type; the signature keeps callers typed.
    const result = await db
      .insertInto(table)
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n)
  }
  return inserted
}
