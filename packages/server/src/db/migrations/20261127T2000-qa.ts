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

const ROLES = `('agent', 'team_lead', 'qa_inspector', 'qa_manager', 'vip_manager', 'cs_manager', 'hr', 'director', 'admin')`;

/**
 * R-QA, R-DSP, R-PAY-7: users and roles, daily samples, inspections and their item results, the
 * steps of every case, disputes with the panel's views, the director's sign-offs, critical-item
 * forfeitures and calibration sessions. Guards: case steps and panel views are append-only, a
 * closed dispute never changes, a published inspection's items never change, and a month's
 * sign-offs are frozen once its payroll run is approved or locked.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('users'), dialect)
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.references('employees.id').unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('user_roles'), dialect)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(`role in ${ROLES}`)))
    .addColumn('team_id', 'bigint', (c) => c.references('teams.id'))
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addCheckConstraint('user_roles_team_lead_team', sql`(role = 'team_lead') = (team_id is not null)`)
    .execute();
  await sql
    .raw(`CREATE UNIQUE INDEX user_roles_active ON user_roles (user_id, role, coalesce(team_id, 0)) WHERE revoked_at IS NULL`)
    .execute(db);

  await withId(db.schema.createTable('qa_samples'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('sample_size', 'integer', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .addColumn('drawn_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('qa_samples_employee_day', ['employee_id', 'day'])
    .execute();
  await db.schema.createIndex('qa_samples_day').on('qa_samples').columns(['day']).execute();

  await withId(db.schema.createTable('qa_sample_items'), dialect)
    .addColumn('sample_id', 'bigint', (c) => c.notNull().references('qa_samples.id'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('conversation_key', 'text', (c) => c.notNull())
    .addColumn('rank', 'text', (c) => c.notNull())
    .addColumn('added_revision', 'integer', (c) => c.notNull())
    .addColumn('removed_revision', 'integer')
    .addUniqueConstraint('qa_sample_items_conversation', ['sample_id', 'conversation_id'])
    .execute();

  await withId(db.schema.createTable('qa_inspections'), dialect)
    .addColumn('sample_item_id', 'bigint', (c) => c.notNull().references('qa_sample_items.id'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('conversations')`))
    .addColumn('inspector', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('assigned', 'in_progress', 'submitted', 'published', 'disputed')`))
    .addColumn('scorecard', 'text', (c) => c.notNull())
    .addColumn('scorecard_version', 'text', (c) => c.notNull())
    .addColumn('published_on', 'text')
    .addColumn('total_points', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_reason', 'text')
    .execute();
  await sql
    .raw(`CREATE UNIQUE INDEX qa_inspections_conversation ON qa_inspections (conversation_id) WHERE withdrawn_at IS NULL`)
    .execute(db);
  await db.schema.createIndex('qa_inspections_employee_day').on('qa_inspections').columns(['employee_id', 'day']).execute();
  await db.schema.createIndex('qa_inspections_inspector').on('qa_inspections').columns(['inspector', 'status']).execute();

  await withId(db.schema.createTable('qa_inspection_items'), dialect)
    .addColumn('inspection_id', 'bigint', (c) => c.notNull().references('qa_inspections.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('hit', 'integer', (c) => c.notNull().check(sql`hit in (0, 1)`))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('points', 'text', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('evidence', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('deduction_id', 'bigint', (c) => c.references('deductions.id'))
    .addUniqueConstraint('qa_inspection_items_item', ['inspection_id', 'item'])
    .execute();

  await withId(db.schema.createTable('qa_steps'), dialect)
    .addColumn('entity', 'text', (c) => c.notNull().check(sql`entity in ('inspection', 'dispute', 'sign_off')`))
    .addColumn('entity_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('as_role', 'text', (c) => c.notNull())
    .addColumn('on_day', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('opinion', 'text')
    .addUniqueConstraint('qa_steps_seq', ['entity', 'entity_id', 'seq'])
    .execute();

  await withId(db.schema.createTable('qa_disputes'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('inspection_item', 'month_result')`))
    .addColumn('inspection_id', 'bigint', (c) => c.references('qa_inspections.id'))
    .addColumn('item', 'text')
    .addColumn('points', 'text')
    .addColumn('published_on', 'text', (c) => c.notNull())
    .addColumn('respondents', 'text', (c) => c.notNull())
    .addColumn('cutoff_on', 'text', (c) => c.notNull())
    .addColumn('below_qualified', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('none', 'filed', 'under_review', 'escalated', 'closed')`))
    .addColumn('escalation', 'text')
    .addColumn('panel_decision', 'text')
    .addColumn('decision', 'text')
    .addColumn('deduction_id', 'bigint', (c) => c.references('deductions.id'))
    .addColumn('replacement_deduction_id', 'bigint', (c) => c.references('deductions.id'))
    .addColumn('filed_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'qa_disputes_subject',
      sql`(subject_kind = 'inspection_item') = (inspection_id is not null and item is not null and points is not null)`,
    )
    .execute();
  await db.schema.createIndex('qa_disputes_month').on('qa_disputes').columns(['month', 'status']).execute();
  await db.schema.createIndex('qa_disputes_inspection').on('qa_disputes').columns(['inspection_id', 'item']).execute();

  await withId(db.schema.createTable('qa_dispute_views'), dialect)
    .addColumn('dispute_id', 'bigint', (c) => c.notNull().references('qa_disputes.id'))
    .addColumn('seat', 'text', (c) => c.notNull().check(sql`seat in ('qa_manager', 'vip_manager', 'team_lead')`))
    .addColumn('by_user', 'text', (c) => c.notNull())
    .addColumn('on_day', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull().check(sql`view in ('upheld', 'overturned', 'changed')`))
    .addColumn('points', 'text')
    .addColumn('opinion', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('qa_dispute_views_seat', ['dispute_id', 'seat'])
    .addUniqueConstraint('qa_dispute_views_person', ['dispute_id', 'by_user'])
    .execute();

  await withId(db.schema.createTable('qa_sign_offs'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'returned', 'signed', 'withdrawn')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql
    .raw(`CREATE UNIQUE INDEX qa_sign_offs_open ON qa_sign_offs (employee_id, month) WHERE status IN ('pending', 'returned', 'signed')`)
    .execute(db);

  await withId(db.schema.createTable('qa_forfeitures'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('inspection_id', 'bigint', (c) => c.notNull().references('qa_inspections.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'acknowledged', 'void')`))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('note', 'text')
    .addUniqueConstraint('qa_forfeitures_item', ['inspection_id', 'item'])
    .execute();

  await withId(db.schema.createTable('qa_calibrations'), dialect)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('scorecard', 'text', (c) => c.notNull())
    .addColumn('scorecard_version', 'text', (c) => c.notNull())
    .addColumn('inspectors', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();

  await db.schema
    .createTable('qa_calibration_conversations')
    .addColumn('calibration_id', 'bigint', (c) => c.notNull().references('qa_calibrations.id'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addPrimaryKeyConstraint('qa_calibration_conversations_pk', ['calibration_id', 'conversation_id'])
    .execute();

  await withId(db.schema.createTable('qa_calibration_scores'), dialect)
    .addColumn('calibration_id', 'bigint', (c) => c.notNull().references('qa_calibrations.id'))
    .addColumn('conversation_id', 'bigint', (c) => c.notNull().references('conversations.id'))
    .addColumn('inspector', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('hit', 'integer', (c) => c.notNull().check(sql`hit in (0, 1)`))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('qa_calibration_scores_one', ['calibration_id', 'conversation_id', 'inspector', 'item'])
    .execute();

  // Conversations are read per agent and day for sampling.
  await db.schema.createIndex('qa_conversations_employee_day').on('conversations').columns(['employee_id', 'day']).execute();

  await (dialect === 'postgres' ? postgresGuards(db) : sqliteGuards(db));
}

const FROZEN_MONTH = (monthRef: string) => `(SELECT status FROM payroll_runs WHERE month = ${monthRef}.month) IN ('approved', 'locked')`;
const PUBLISHED = (ref: string) => `(SELECT status FROM qa_inspections WHERE id = ${ref}.inspection_id) IN ('published', 'disputed')`;

async function sqliteGuards(db: AnyDb): Promise<void> {
  const abort = (message: string) => `BEGIN SELECT RAISE(ABORT, '${message}'); END`;
  const statements = [
    `CREATE TRIGGER qa_steps_no_update BEFORE UPDATE ON qa_steps ${abort('case steps are append-only')}`,
    `CREATE TRIGGER qa_steps_no_delete BEFORE DELETE ON qa_steps ${abort('case steps are append-only')}`,
    `CREATE TRIGGER qa_dispute_views_no_update BEFORE UPDATE ON qa_dispute_views ${abort('panel views are append-only')}`,
    `CREATE TRIGGER qa_dispute_views_no_delete BEFORE DELETE ON qa_dispute_views ${abort('panel views are append-only')}`,
    `CREATE TRIGGER qa_disputes_closed BEFORE UPDATE ON qa_disputes WHEN OLD.status = 'closed' ${abort('the dispute is closed: its decision is final')}`,
    `CREATE TRIGGER qa_disputes_no_delete BEFORE DELETE ON qa_disputes ${abort('disputes are never deleted')}`,
    `CREATE TRIGGER qa_inspections_no_delete BEFORE DELETE ON qa_inspections ${abort('inspections are never deleted')}`,
    `CREATE TRIGGER qa_inspection_items_published_insert BEFORE INSERT ON qa_inspection_items WHEN ${PUBLISHED('NEW')} ${abort('the inspection is published: its items never change')}`,
    `CREATE TRIGGER qa_inspection_items_published_update BEFORE UPDATE ON qa_inspection_items WHEN ${PUBLISHED('OLD')} ${abort('the inspection is published: its items never change')}`,
    `CREATE TRIGGER qa_inspection_items_published_delete BEFORE DELETE ON qa_inspection_items WHEN ${PUBLISHED('OLD')} ${abort('the inspection is published: its items never change')}`,
    `CREATE TRIGGER qa_sign_offs_frozen_insert BEFORE INSERT ON qa_sign_offs WHEN ${FROZEN_MONTH('NEW')} ${abort('the payroll run of the month is approved or locked')}`,
    `CREATE TRIGGER qa_sign_offs_frozen_update BEFORE UPDATE ON qa_sign_offs WHEN ${FROZEN_MONTH('OLD')} OR ${FROZEN_MONTH('NEW')} ${abort('the payroll run of the month is approved or locked')}`,
    `CREATE TRIGGER qa_sign_offs_no_delete BEFORE DELETE ON qa_sign_offs ${abort('sign-offs are never deleted')}`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function postgresGuards(db: AnyDb): Promise<void> {
  const fail = (message: string) => `RAISE EXCEPTION '${message}' USING ERRCODE = 'check_violation';`;
  const statements = [
    `CREATE FUNCTION ladder_qa_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation';
     END $$`,
    `CREATE TRIGGER qa_steps_append_only BEFORE UPDATE OR DELETE ON qa_steps FOR EACH ROW EXECUTE FUNCTION ladder_qa_refuse('case steps are append-only')`,
    `CREATE TRIGGER qa_steps_no_truncate BEFORE TRUNCATE ON qa_steps FOR EACH STATEMENT EXECUTE FUNCTION ladder_qa_refuse('case steps are append-only')`,
    `CREATE TRIGGER qa_dispute_views_append_only BEFORE UPDATE OR DELETE ON qa_dispute_views FOR EACH ROW EXECUTE FUNCTION ladder_qa_refuse('panel views are append-only')`,
    `CREATE TRIGGER qa_disputes_no_delete BEFORE DELETE ON qa_disputes FOR EACH ROW EXECUTE FUNCTION ladder_qa_refuse('disputes are never deleted')`,
    `CREATE TRIGGER qa_disputes_closed BEFORE UPDATE ON qa_disputes FOR EACH ROW WHEN (OLD.status = 'closed') EXECUTE FUNCTION ladder_qa_refuse('the dispute is closed: its decision is final')`,
    `CREATE TRIGGER qa_inspections_no_delete BEFORE DELETE ON qa_inspections FOR EACH ROW EXECUTE FUNCTION ladder_qa_refuse('inspections are never deleted')`,
    `CREATE TRIGGER qa_sign_offs_no_delete BEFORE DELETE ON qa_sign_offs FOR EACH ROW EXECUTE FUNCTION ladder_qa_refuse('sign-offs are never deleted')`,
    `CREATE TRIGGER qa_tables_no_truncate BEFORE TRUNCATE ON qa_disputes FOR EACH STATEMENT EXECUTE FUNCTION ladder_qa_refuse('disputes are never deleted')`,
    `CREATE FUNCTION ladder_qa_guard_items() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM qa_inspections WHERE id = OLD.inspection_id AND status IN ('published', 'disputed')))
          OR (TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM qa_inspections WHERE id = NEW.inspection_id AND status IN ('published', 'disputed'))) THEN
         ${fail('the inspection is published: its items never change')}
       END IF;
       IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER qa_inspection_items_published BEFORE INSERT OR UPDATE OR DELETE ON qa_inspection_items FOR EACH ROW EXECUTE FUNCTION ladder_qa_guard_items()`,
    `CREATE FUNCTION ladder_qa_guard_sign_offs() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM payroll_runs WHERE month = OLD.month AND status IN ('approved', 'locked')))
          OR EXISTS (SELECT 1 FROM payroll_runs WHERE month = NEW.month AND status IN ('approved', 'locked')) THEN
         ${fail('the payroll run of the month is approved or locked')}
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER qa_sign_offs_frozen BEFORE INSERT OR UPDATE ON qa_sign_offs FOR EACH ROW EXECUTE FUNCTION ladder_qa_guard_sign_offs()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
