/** 002: 阳光信访 — redacted publications of cases (consent + staff approval) and indexes for the public figures. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('publication')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('case_file.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('published','withdrawn')`))
    // Only redacted text lives here: the public page reads nothing else about the case's people.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('answer_unit_name', 'text')
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('received_date', 'text', (c) => c.notNull())
    .addColumn('replied_date', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_by', 'text', (c) => c.notNull().references('account.id'))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publication_status_idx').on('publication').columns(['status', 'published_at']).execute();
  // The public figures count cases by year of receipt and of reply.
  await db.schema.createIndex('case_received_idx').on('case_file').column('received_date').execute();
  await db.schema.createIndex('case_replied_idx').on('case_file').column('replied_at').execute();
}
