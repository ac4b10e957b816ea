/**
 * Training, knowledge tests, certificates (R-EXT-3) and 360 reviews (R-EXT-1): recorded per person,
 * read by the quarterly evaluation as indicators. Imports come later; these are the service calls
 * they (and HR by hand) use. Every write is audited; recording the same fact again changes nothing.
 *
 * Where the spec is silent:
 * - A course counts once per person (a later completion date replaces the earlier one); it counts
 *   for a quarter when completed by the quarter's last day.
 * - One result per exam and person; the quarter's knowledge test is the latest result taken in it.
 * - A certificate (one per code and person) counts when issued by the quarter's last day and not
 *   expired before it.
 * - 360 ratings are 0–100, one per reviewer, role and quarter; a person's self rating is by
 *   themselves, manager and peer ratings by someone else.
 */
import { type Decimal, type DecimalInput, formatDecimal, parseDate, parseQuarter, toDecimal } from '@ladder/core';
import type { ReviewerRole } from '../../db/schema-levels.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { knownEmployeeIds } from '../employees.js';
import { levelDb } from './db.js';

export interface RecordCounts {
  inserted: number;
  changed: number;
  unchanged: number;
}

function problem(problems: string[], at: string, message: string): void {
  problems.push(`${at}: ${message}`);
}

function day(problems: string[], at: string, value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (parseDate(value) === undefined) problem(problems, at, `${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

function score(problems: string[], at: string, value: DecimalInput | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  const d: Decimal | undefined = toDecimal(value);
  if (d === undefined || d.lessThan(0) || d.greaterThan(100)) {
    problem(problems, at, `${field} must be a number from 0 to 100, got ${JSON.stringify(String(value))}`);
    return null;
  }
  return formatDecimal(d);
}

function refuse(problems: string[]): void {
  if (problems.length > 0)
    throw new AppError('invalid_input', `${problems.length} problem(s) in the records; nothing was recorded`, problems);
}

export interface CourseRecord {
  code: string;
  name: string;
  hours?: DecimalInput | null;
}

/**
 * One record: inserted when new, updated when any of `values` differs, left alone otherwise;
 * each write audited (before and after for a change) and counted.
 */
async function recordOne<V extends Record<string, string | null>>(
  db: Db,
  ctx: ServiceContext,
  counts: RecordCounts,
  record: {
    existing: ({ id: number } & Partial<Record<keyof V, unknown>>) | undefined;
    values: V;
    insert: () => Promise<unknown>;
    update: (id: number) => Promise<unknown>;
    entity: string;
    key: string;
    /** Audit actions for a new record and for a change. */
    actions: { added: string; changed: string };
  },
): Promise<void> {
  const { existing, values } = record;
  if (!existing) {
    await record.insert();
    counts.inserted += 1;
    await audit(db, ctx, { action: record.actions.added, entity: record.entity, key: record.key, details: values });
    return;
  }
  const keys = Object.keys(values) as (keyof V & string)[];
  if (keys.every((k) => (existing[k] as unknown) === values[k])) {
    counts.unchanged += 1;
    return;
  }
  await record.update(existing.id);
  counts.changed += 1;
  const before = Object.fromEntries(keys.map((k) => [k, existing[k]]));
  await audit(db, ctx, { action: record.actions.changed, entity: record.entity, key: record.key, details: { before, after: values } });
}

/** Creates or renames training courses. */
export async function recordCourses(db: Db, ctx: ServiceContext, courses: readonly CourseRecord[]): Promise<RecordCounts> {
  const ldb = levelDb(db);
  const problems: string[] = [];
  const rows = courses.map((c, i) => {
    const at = `courses[${i}]`;
    if (c.code.trim() === '') problem(problems, at, 'code is empty');
    let hours: string | null = null;
    if (c.hours !== null && c.hours !== undefined) {
      const h = toDecimal(c.hours);
      if (h === undefined || h.lessThan(0)) problem(problems, at, `hours must be a number ≥ 0, got ${JSON.stringify(String(c.hours))}`);
      else hours = formatDecimal(h);
    }
    return { code: c.code.trim(), name: c.name, hours };
  });
  refuse(problems);
  const counts: RecordCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    const values = { name: row.name, hours: row.hours };
    await recordOne(db, ctx, counts, {
      existing: await ldb.selectFrom('training_courses').selectAll().where('code', '=', row.code).executeTakeFirst(),
      values,
      insert: () =>
        ldb
          .insertInto('training_courses')
          .values({ code: row.code, ...values, created_at: ctx.now(), created_by: ctx.actor })
          .execute(),
      update: (id) => ldb.updateTable('training_courses').set(values).where('id', '=', id).execute(),
      entity: 'training_courses',
      key: row.code,
      actions: { added: 'training.course.added', changed: 'training.course.changed' },
    });
  }
  return counts;
}

export interface CompletionRecord {
  employeeNo: string;
  /** The course code; an unknown code creates the course (named courseName, else the code). */
  course: string;
  courseName?: string;
  completedOn: string;
  score?: DecimalInput | null;
}

/** Records courses completed by people. */
export async function recordCourseCompletions(db: Db, ctx: ServiceContext, records: readonly CompletionRecord[]): Promise<RecordCounts> {
  const ldb = levelDb(db);
  const problems: string[] = [];
  const rows = records.map((r, i) => {
    const at = `completions[${i}]`;
    return {
      employeeNo: r.employeeNo,
      course: r.course.trim(),
      courseName: r.courseName,
      completed_on: day(problems, at, r.completedOn, 'completedOn') ?? '',
      score: score(problems, at, r.score, 'score'),
    };
  });
  refuse(problems);
  const ids = await knownEmployeeIds(
    db,
    rows.map((r) => r.employeeNo),
  );
  const counts: RecordCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    let course = await ldb.selectFrom('training_courses').select('id').where('code', '=', row.course).executeTakeFirst();
    if (!course) {
      await recordCourses(db, ctx, [{ code: row.course, name: row.courseName ?? row.course }]);
      course = await ldb.selectFrom('training_courses').select('id').where('code', '=', row.course).executeTakeFirstOrThrow();
    }
    const employeeId = ids.get(row.employeeNo) as number;
    const values = { completed_on: row.completed_on, score: row.score };
    await recordOne(db, ctx, counts, {
      existing: await ldb
        .selectFrom('course_completions')
        .selectAll()
        .where('employee_id', '=', employeeId)
        .where('course_id', '=', course.id)
        .executeTakeFirst(),
      values,
      insert: () =>
        ldb
          .insertInto('course_completions')
          .values({ employee_id: employeeId, course_id: course.id, ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .execute(),
      update: (id) =>
        ldb
          .updateTable('course_completions')
          .set({ ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .where('id', '=', id)
          .execute(),
      entity: 'course_completions',
      key: `${row.employeeNo}/${row.course}`,
      actions: { added: 'training.completed', changed: 'training.completion.changed' },
    });
  }
  return counts;
}

export interface ExamResultRecord {
  employeeNo: string;
  /** The exam's code; an unknown code creates the exam (named examName, else the code). */
  exam: string;
  examName?: string;
  takenOn: string;
  /** 0–100. */
  score: DecimalInput;
}

/** Records knowledge-test results (知识考试), one per exam and person. */
export async function recordExamResults(db: Db, ctx: ServiceContext, records: readonly ExamResultRecord[]): Promise<RecordCounts> {
  const ldb = levelDb(db);
  const problems: string[] = [];
  const rows = records.map((r, i) => {
    const at = `results[${i}]`;
    const s = score(problems, at, r.score, 'score');
    if (r.score === null || r.score === undefined) problem(problems, at, 'score is required');
    if (r.exam.trim() === '') problem(problems, at, 'exam is empty');
    return {
      employeeNo: r.employeeNo,
      exam: r.exam.trim(),
      examName: r.examName,
      taken_on: day(problems, at, r.takenOn, 'takenOn') ?? '',
      score: s ?? '',
    };
  });
  refuse(problems);
  const ids = await knownEmployeeIds(
    db,
    rows.map((r) => r.employeeNo),
  );
  const counts: RecordCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    let exam = await ldb.selectFrom('exams').select('id').where('code', '=', row.exam).executeTakeFirst();
    if (!exam) {
      exam = await ldb
        .insertInto('exams')
        .values({ code: row.exam, name: row.examName ?? row.exam, created_at: ctx.now(), created_by: ctx.actor })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(db, ctx, { action: 'exam.added', entity: 'exams', key: row.exam, details: { name: row.examName ?? row.exam } });
    }
    const employeeId = ids.get(row.employeeNo) as number;
    const values = { taken_on: row.taken_on, score: row.score };
    await recordOne(db, ctx, counts, {
      existing: await ldb
        .selectFrom('exam_results')
        .selectAll()
        .where('exam_id', '=', exam.id)
        .where('employee_id', '=', employeeId)
        .executeTakeFirst(),
      values,
      insert: () =>
        ldb
          .insertInto('exam_results')
          .values({ exam_id: exam.id, employee_id: employeeId, ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .execute(),
      update: (id) =>
        ldb
          .updateTable('exam_results')
          .set({ ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .where('id', '=', id)
          .execute(),
      entity: 'exam_results',
      key: `${row.employeeNo}/${row.exam}`,
      actions: { added: 'exam.result', changed: 'exam.result.changed' },
    });
  }
  return counts;
}

export interface CertificateRecord {
  employeeNo: string;
  code: string;
  name: string;
  issuedOn: string;
  expiresOn?: string | null;
}

/** Records certificates held, one per code and person. */
export async function recordCertificates(db: Db, ctx: ServiceContext, records: readonly CertificateRecord[]): Promise<RecordCounts> {
  const ldb = levelDb(db);
  const problems: string[] = [];
  const rows = records.map((r, i) => {
    const at = `certificates[${i}]`;
    if (r.code.trim() === '') problem(problems, at, 'code is empty');
    const issued = day(problems, at, r.issuedOn, 'issuedOn') ?? '';
    const expires = day(problems, at, r.expiresOn, 'expiresOn');
    if (expires !== null && issued !== '' && expires < issued) problem(problems, at, `expiresOn ${expires} is before issuedOn ${issued}`);
    return { employeeNo: r.employeeNo, code: r.code.trim(), name: r.name, issued_on: issued, expires_on: expires };
  });
  refuse(problems);
  const ids = await knownEmployeeIds(
    db,
    rows.map((r) => r.employeeNo),
  );
  const counts: RecordCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    const employeeId = ids.get(row.employeeNo) as number;
    const values = { name: row.name, issued_on: row.issued_on, expires_on: row.expires_on };
    await recordOne(db, ctx, counts, {
      existing: await ldb
        .selectFrom('certificates')
        .selectAll()
        .where('employee_id', '=', employeeId)
        .where('code', '=', row.code)
        .executeTakeFirst(),
      values,
      insert: () =>
        ldb
          .insertInto('certificates')
          .values({ employee_id: employeeId, code: row.code, ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .execute(),
      update: (id) =>
        ldb
          .updateTable('certificates')
          .set({ ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .where('id', '=', id)
          .execute(),
      entity: 'certificates',
      key: `${row.employeeNo}/${row.code}`,
      actions: { added: 'certificate.recorded', changed: 'certificate.changed' },
    });
  }
  return counts;
}

export interface Review360Record {
  employeeNo: string;
  quarter: string;
  role: ReviewerRole;
  /** Who rated: an employee number or a user name; for `self`, the employee's own number. */
  reviewer: string;
  /** 0–100. */
  score: DecimalInput;
}

const ROLES: readonly ReviewerRole[] = ['self', 'manager', 'peer'];

/** Records 360 ratings (R-EXT-1), one per reviewer, role, person and quarter. */
export async function record360Reviews(db: Db, ctx: ServiceContext, records: readonly Review360Record[]): Promise<RecordCounts> {
  const ldb = levelDb(db);
  const problems: string[] = [];
  const rows = records.map((r, i) => {
    const at = `reviews[${i}]`;
    if (parseQuarter(r.quarter) === undefined) problem(problems, at, `quarter must be YYYY-Qn, got ${JSON.stringify(r.quarter)}`);
    if (!ROLES.includes(r.role)) problem(problems, at, `role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(r.role)}`);
    const reviewer = r.reviewer.trim();
    if (reviewer === '') problem(problems, at, 'reviewer is empty');
    else if (r.role === 'self' && reviewer !== r.employeeNo)
      problem(problems, at, `a self rating is given by ${r.employeeNo} themselves, not ${reviewer}`);
    else if (r.role !== 'self' && reviewer === r.employeeNo)
      problem(problems, at, `${r.employeeNo} cannot give their own ${r.role} rating`);
    const s = score(problems, at, r.score, 'score');
    if (r.score === null || r.score === undefined) problem(problems, at, 'score is required');
    return { employeeNo: r.employeeNo, quarter: r.quarter, reviewer_role: r.role, reviewer, score: s ?? '' };
  });
  refuse(problems);
  const ids = await knownEmployeeIds(
    db,
    rows.map((r) => r.employeeNo),
  );
  const counts: RecordCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const row of rows) {
    const employeeId = ids.get(row.employeeNo) as number;
    const values = { score: row.score };
    await recordOne(db, ctx, counts, {
      existing: await ldb
        .selectFrom('reviews_360')
        .selectAll()
        .where('employee_id', '=', employeeId)
        .where('quarter', '=', row.quarter)
        .where('reviewer_role', '=', row.reviewer_role)
        .where('reviewer', '=', row.reviewer)
        .executeTakeFirst(),
      values,
      insert: () =>
        ldb
          .insertInto('reviews_360')
          .values({
            employee_id: employeeId,
            quarter: row.quarter,
            reviewer_role: row.reviewer_role,
            reviewer: row.reviewer,
            ...values,
            recorded_at: ctx.now(),
            recorded_by: ctx.actor,
          })
          .execute(),
      update: (id) =>
        ldb
          .updateTable('reviews_360')
          .set({ ...values, recorded_at: ctx.now(), recorded_by: ctx.actor })
          .where('id', '=', id)
          .execute(),
      entity: 'reviews_360',
      key: `${row.employeeNo}/${row.quarter}/${row.reviewer_role}/${row.reviewer}`,
      actions: { added: 'review360.recorded', changed: 'review360.changed' },
    });
  }
  return counts;
}
