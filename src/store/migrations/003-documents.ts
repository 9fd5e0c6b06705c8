/**
 * 003: official documents (文书) issued on a case, and the record of staff entry (来信/来访/来电).
 * A document's PDF is kept in the row itself (encrypted: it carries the petitioner's name), written
 * in the same transaction as the action that issues it, so a crash can never lose or orphan one.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('document')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('case_file.id'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('acceptance_notice','rejection_notice','assignment_letter','forwarding_letter','extension_notice','reply_opinion','review_opinion','re_review_opinion','responsibility_letter')`,
        ),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_no', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('addressee_unit_id', 'text', (c) => c.references('unit.id'))
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('petitioner','unit')`))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('issued_date', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('trigger_event', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('petitioner_signs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('petitioner_signed_at', 'text')
    .addColumn('petitioner_signed_by', 'text', (c) => c.references('account.id'))
    .addUniqueConstraint('document_number_uq', ['unit_id', 'kind', 'year', 'serial'])
    .addUniqueConstraint('document_case_ordinal_uq', ['case_id', 'ordinal'])
    .execute();

  await db.schema
    .createTable('case_entry')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('letter','visit','call')`))
    .addColumn('registrar_id', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
    .addColumn('id_number_enc', 'text')
    .addColumn('id_number_hash', 'text')
    .addColumn('linked_account', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text')
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_entry_idem_uq', ['registrar_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('case_entry_id_hash_idx').on('case_entry').column('id_number_hash').execute();
}
