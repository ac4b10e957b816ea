/* Frozen in time: never import application code here. */
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

function withId<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/**
 * R-LVL, R-EXT-1, R-EXT-3: the quarterly level review and its proposals, training courses,
 * knowledge tests, certificates and 360 reviews. Scores are exact decimals kept as text.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  // One review per quarter: proposed → reviewed → approved.
  await withId(db.schema.createTable('level_reviews'), dialect)
    .addColumn('quarter', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'reviewed', 'approved')`))
    .addColumn('policy_version_id', 'bigint', (c) => c.notNull().references('policy_versions.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    /** JSON list of { employeeNo, message }: people not evaluated and why. */
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('computed_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approval_note', 'text')
    .execute();

  // One proposal per evaluated employee and quarter.
  await withId(db.schema.createTable('level_proposals'), dialect)
    .addColumn('review_id', 'bigint', (c) => c.notNull().references('level_reviews.id'))
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('track', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('promote', 'keep', 'demote', 'review_dismissal')`))
    .addColumn('from_level', 'text', (c) => c.notNull())
    .addColumn('to_level', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('explain', 'text', (c) => c.notNull())
    .addColumn('pay_effect', 'text')
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'approved', 'rejected')`))
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('note', 'text')
    .addColumn('history_id', 'bigint', (c) => c.references('employee_history.id'))
    .addUniqueConstraint('level_proposals_review_employee', ['review_id', 'employee_id'])
    .execute();

  await withId(db.schema.createTable('training_courses'), dialect)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hours', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('course_completions'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('course_id', 'bigint', (c) => c.notNull().references('training_courses.id'))
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('score', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('course_completions_employee_course', ['employee_id', 'course_id'])
    .execute();

  await withId(db.schema.createTable('exams'), dialect)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('exam_results'), dialect)
    .addColumn('exam_id', 'bigint', (c) => c.notNull().references('exams.id'))
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('taken_on', 'text', (c) => c.notNull())
    .addColumn('score', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('exam_results_exam_employee', ['exam_id', 'employee_id'])
    .execute();

  await withId(db.schema.createTable('certificates'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('certificates_employee_code', ['employee_id', 'code'])
    .execute();

  await withId(db.schema.createTable('reviews_360'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('reviewer_role', 'text', (c) => c.notNull().check(sql`reviewer_role in ('self', 'manager', 'peer')`))
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('score', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('reviews_360_one_rating', ['employee_id', 'quarter', 'reviewer_role', 'reviewer'])
    .execute();

  // The satisfaction rate an `agent-daily` platform reports per agent and day (0–1, decimal text).
  await db.schema.alterTable('agent_day_stats').addColumn('satisfaction_rate', 'text').execute();

  await db.schema.createIndex('level_proposals_employee').on('level_proposals').columns(['employee_id']).execute();
  await db.schema.createIndex('exam_results_employee').on('exam_results').columns(['employee_id', 'taken_on']).execute();
  await db.schema.createIndex('reviews_360_quarter').on('reviews_360').columns(['quarter', 'employee_id']).execute();
  // The evaluation reads a quarter of ratings by day.
  await db.schema.createIndex('levels_csat_ratings_day').on('csat_ratings').columns(['day']).execute();
}
