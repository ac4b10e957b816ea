import { Decimal } from '../money/decimal.js';
import { divideToFen, yuanToFen } from '../money/fen.js';
import type { Policy } from '../policy/model.js';
import type { EmployeeMonth } from './input.js';
import { money, num, type PayLine, percent, yuan } from './line.js';

/** R-SAL-4: allowances (fixed, optionally prorated by unpaid days) and commission on the month's sales. */
export function componentLines(policy: Policy, employee: EmployeeMonth): PayLine[] {
  const lines: PayLine[] = [];
  const days = policy.attendance.paidDaysPerMonth;
  for (const allowance of policy.allowances) {
    if (!allowance.groups.includes(employee.group)) continue;
    if (allowance.levels && !allowance.levels.includes(employee.level)) continue;
    const workedDays = Decimal.max(days.minus(employee.attendance.unpaidDays), 0);
    const prorated = allowance.prorate && !workedDays.equals(days);
    const amount = prorated ? divideToFen(allowance.amount.times(workedDays), days) : yuanToFen(allowance.amount);
    if (amount === 0) continue;
    const formula = prorated
      ? `${money(allowance.amount)} × (${num(days)} − ${num(employee.attendance.unpaidDays)}) ÷ ${num(days)}`
      : money(allowance.amount);
    lines.push({
      code: `allowance_${allowance.code}`,
      amount,
      rule: 'R-SAL-4',
      formula,
      inputs: { amount: money(allowance.amount), unpaidDays: num(employee.attendance.unpaidDays) },
      explain: {
        zh: `${allowance.name.zh}:${prorated ? `按出勤折算 ${formula} = ` : ''}${yuan(amount)} 元`,
        en: `${allowance.name.en}: ${prorated ? `prorated by attendance ${formula} = ` : ''}${yuan(amount)} yuan`,
      },
    });
  }
  for (const commission of policy.commissions) {
    if (!commission.groups.includes(employee.group) || !employee.sales) continue;
    const sales = employee.sales.month.amount;
    const amount = yuanToFen(sales.times(commission.rate));
    if (amount === 0) continue;
    lines.push({
      code: `commission_${commission.code}`,
      amount,
      rule: 'R-SAL-4',
      formula: `${num(sales)} × ${num(commission.rate)}`,
      inputs: { sales: num(sales), rate: num(commission.rate) },
      explain: {
        zh: `${commission.name.zh}:本月销售额 ${num(sales)} × ${percent(commission.rate)} = ${yuan(amount)} 元`,
        en: `${commission.name.en}: month sales ${num(sales)} × ${percent(commission.rate)} = ${yuan(amount)} yuan`,
      },
    });
  }
  return lines;
}
