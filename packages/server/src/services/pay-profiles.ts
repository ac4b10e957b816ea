import { type Fen, type Month, yuanToFen, type Decimal } from '@ladder/core';
import { audit } from './audit.js';
import { AppError, type Db, type ServiceContext } from './context.js';
import { cityRates } from './china-data.js';
import { knownEmployeeIds } from './employees.js';

export interface PayProfileRecord {
  employeeNo: string;
  effectiveFrom: string;
  city: string;
  contributionBase?: Decimal | null;
  firstIncomeOfYear?: boolean;
  bankName?: string | null;
  bankAccount?: string | null;
  accountName?: string | null;
}

async function employeeId(db: Db, employeeNo: string): Promise<number> {
  return (await knownEmployeeIds(db, [employeeNo])).get(employeeNo) as number;
}

/** Where and how a person is paid (R-NET): city, contribution base, bank account; effective-dated and audited. */
export async function setPayProfile(db: Db, ctx: ServiceContext, record: PayProfileRecord, reason = 'pay profile'): Promise<void> {
  const city = cityRates(record.city);
  if (!city) throw new AppError('unknown_city', `no social-insurance data for city "${record.city}"`);
  const id = await employeeId(db, record.employeeNo);
  const values = {
    city: city.city,
    contribution_base_fen: record.contributionBase ? yuanToFen(record.contributionBase) : null,
    first_income_of_year: record.firstIncomeOfYear ? 1 : 0,
    bank_name: record.bankName ?? null,
    bank_account: record.bankAccount ?? null,
    account_name: record.accountName ?? null,
    recorded_at: ctx.now(),
    recorded_by: ctx.actor,
  };
  const before = await db
    .selectFrom('pay_profiles')
    .selectAll()
    .where('employee_id', '=', id)
    .where('effective_from', '=', record.effectiveFrom)
    .executeTakeFirst();
  if (before)
    await db
      .updateTable('pay_profiles')
      .set(values)
      .where('employee_id', '=', id)
      .where('effective_from', '=', record.effectiveFrom)
      .execute();
  else
    await db
      .insertInto('pay_profiles')
      .values({ employee_id: id, effective_from: record.effectiveFrom, ...values })
      .execute();
  await audit(db, ctx, {
    action: 'pay_profile.set',
    entity: 'pay_profiles',
    key: `${record.employeeNo}@${record.effectiveFrom}`,
    reason,
    details: { before: before ?? null, after: values },
  });
}

/** 专项附加扣除 declared for a month; audited with before and after. */
export async function declareSpecialDeduction(
  db: Db,
  ctx: ServiceContext,
  employeeNo: string,
  month: Month,
  amount: Fen,
  note: string | null = null,
): Promise<void> {
  const id = await employeeId(db, employeeNo);
  const before = await db
    .selectFrom('special_deductions')
    .selectAll()
    .where('employee_id', '=', id)
    .where('month', '=', month)
    .executeTakeFirst();
  const values = { amount_fen: amount, note, updated_at: ctx.now(), updated_by: ctx.actor };
  if (before) await db.updateTable('special_deductions').set(values).where('employee_id', '=', id).where('month', '=', month).execute();
  else
    await db
      .insertInto('special_deductions')
      .values({ employee_id: id, month, ...values })
      .execute();
  await audit(db, ctx, {
    action: 'special_deduction.declared',
    entity: 'special_deductions',
    key: `${employeeNo}/${month}`,
    reason: note,
    details: { before: before?.amount_fen ?? null, after: amount },
  });
}

/** The year's annual one-time bonus, paid in `month`, taxed by the person's chosen method. */
export async function setAnnualBonus(
  db: Db,
  ctx: ServiceContext,
  employeeNo: string,
  month: Month,
  amount: Fen,
  method: 'separate' | 'merged',
): Promise<void> {
  const id = await employeeId(db, employeeNo);
  const year = Number(month.slice(0, 4));
  const before = await db
    .selectFrom('annual_bonuses')
    .selectAll()
    .where('employee_id', '=', id)
    .where('year', '=', year)
    .executeTakeFirst();
  const values = { month, amount_fen: amount, method, updated_at: ctx.now(), updated_by: ctx.actor };
  if (before) await db.updateTable('annual_bonuses').set(values).where('employee_id', '=', id).where('year', '=', year).execute();
  else
    await db
      .insertInto('annual_bonuses')
      .values({ employee_id: id, year, ...values })
      .execute();
  await audit(db, ctx, {
    action: 'annual_bonus.set',
    entity: 'annual_bonuses',
    key: `${employeeNo}/${year}`,
    details: { before: before ?? null, after: values },
  });
}
