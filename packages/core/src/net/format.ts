/** The JSON shape of `ladder net`: money as two-place yuan strings, rates as decimals without trailing zeros. */
import { formatDecimal } from '../money/decimal.js';
import { formatYuan } from '../money/fen.js';
import type { BonusCliff } from './annual-bonus.js';
import type { EmployeeNetResult, NetMonthResult, NetResult, NetTotals } from './gross-to-net.js';

export function bonusCliffToJson(cliff: BonusCliff): Record<string, unknown> {
  return {
    threshold: formatYuan(cliff.threshold),
    from: formatYuan(cliff.from),
    to: formatYuan(cliff.to),
    rateBelow: formatDecimal(cliff.rateBelow),
    rateAbove: formatDecimal(cliff.rateAbove),
    netAtThreshold: formatYuan(cliff.netAtThreshold),
    explain: cliff.explain,
  };
}

export function netMonthToJson(month: NetMonthResult): Record<string, unknown> {
  const c = month.contributions;
  const result: Record<string, unknown> = {
    month: month.month,
    gross: formatYuan(month.gross),
    contributionBase: {
      declared: formatYuan(c.base.declared),
      from: c.base.from,
      socialInsurance: formatYuan(c.base.socialInsurance),
      housingFund: formatYuan(c.base.housingFund),
    },
    employeeContributions: formatYuan(month.employeeContributions),
    employeeContributionsGiven: c.employeeGiven,
    employerContributions: formatYuan(month.employerContributions),
    employerCost: formatYuan(month.employerCost),
    specialAdditional: formatYuan(month.specialAdditional),
    taxableYtd: formatYuan(month.taxableYtd),
    tax: formatYuan(month.tax),
  };
  const explain: Record<string, unknown> = { ...month.explain };
  if (month.bonus) {
    result.bonus = formatYuan(month.bonus.amount);
    result.bonusMethod = month.bonus.method;
    result.bonusTax = formatYuan(month.bonus.tax);
    explain.bonusTax = month.bonus.explain;
  }
  result.net = formatYuan(month.net);
  result.contributions = c.lines.map((line) => ({
    code: line.code,
    scheme: line.scheme,
    side: line.side,
    base: line.base === null ? null : formatYuan(line.base),
    rate: line.rate === null ? null : formatDecimal(line.rate),
    amount: formatYuan(line.amount),
    rule: line.rule,
    formula: line.formula,
    explain: line.explain,
  }));
  result.explain = explain;
  return result;
}

function totalsToJson(totals: NetTotals): Record<string, string> {
  return Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, formatYuan(value)]));
}

export function employeeNetToJson(employee: EmployeeNetResult): Record<string, unknown> {
  const bonus = employee.bonus;
  return {
    id: employee.id,
    year: employee.year,
    firstIncomeOfYear: employee.firstIncomeOfYear,
    months: employee.months.map(netMonthToJson),
    totals: totalsToJson(employee.totals),
    annualBonus: bonus
      ? {
          month: bonus.month,
          amount: formatYuan(bonus.amount),
          method: bonus.method,
          yearTax: formatYuan(bonus.yearTax),
          alternative:
            'yearTax' in bonus.alternative
              ? { method: bonus.alternative.method, yearTax: formatYuan(bonus.alternative.yearTax) }
              : bonus.alternative,
          cliff: bonus.cliff ? bonusCliffToJson(bonus.cliff) : null,
          explain: bonus.explain,
        }
      : null,
  };
}

export function netResultToJson(result: NetResult): Record<string, unknown> {
  return {
    city: result.city,
    cityName: result.cityName,
    employees: result.employees.map(employeeNetToJson),
    bonusCliffs: result.bonusCliffs.map(bonusCliffToJson),
    dataNotes: result.dataNotes,
  };
}
