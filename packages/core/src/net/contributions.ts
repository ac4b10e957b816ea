/**
 * R-NET contributions: pension, medical (incl. maternity), unemployment, work injury and the
 * housing fund, employee and employer parts, on a base clamped to the city's floor and cap.
 * Each scheme's amount is rounded by the city's rule for each side separately, then added.
 */
import type { Decimal } from '../money/decimal.js';
import { addFen, type Fen } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';
import type { CityMonth, RoundingRule } from './city-rates.js';
import { percent, UNEXPLAINED, yuan } from './explain.js';
import { describeRounding, roundBaseTimesRate } from './rounding.js';

export type Scheme = 'pension' | 'medical' | 'unemployment' | 'workInjury' | 'housingFund';
export type Side = 'employee' | 'employer';

export const SCHEME_NAMES: Record<Scheme, Bilingual> = {
  pension: { zh: '养老保险', en: 'pension' },
  medical: { zh: '医疗保险(含生育)', en: 'medical incl. maternity' },
  unemployment: { zh: '失业保险', en: 'unemployment' },
  workInjury: { zh: '工伤保险', en: 'work injury' },
  housingFund: { zh: '住房公积金', en: 'housing fund' },
};

const SIDE_NAMES: Record<Side, Bilingual> = { employee: { zh: '个人', en: 'employee' }, employer: { zh: '单位', en: 'employer' } };

export interface ContributionLine {
  /** pension_employee, medical_fixed_employee, housingFund_employer… */
  code: string;
  scheme: Scheme;
  side: Side;
  /** The clamped base; null for a fixed amount. */
  base: Fen | null;
  rate: Decimal | null;
  amount: Fen;
  rule: 'R-NET';
  formula: string;
  explain: Bilingual;
}

/** Where the person's base came from, before clamping. */
export type BaseSource = 'employee' | 'month' | 'gross';

export interface ContributionBase {
  declared: Fen;
  from: BaseSource;
  socialInsurance: Fen;
  housingFund: Fen;
  explain: Bilingual;
}

export interface Contributions {
  base: ContributionBase;
  /** Every line computed; employee lines are left out when the input gave the employee total. */
  lines: ContributionLine[];
  employee: Fen;
  employer: Fen;
  /** The employee total the rates give, whether or not the input replaced it. */
  employeeComputed: Fen;
  employeeGiven: boolean;
  explain: { employee: Bilingual; employer: Bilingual };
}

export function clampBase(base: Fen, floor: Fen, cap: Fen): Fen {
  return (base < floor ? floor : base > cap ? cap : base) as Fen;
}

const BASE_SOURCE_NAMES: Record<BaseSource, Bilingual> = {
  employee: { zh: '员工申报基数', en: "the employee's declared base" },
  month: { zh: '本月申报基数', en: "the month's declared base" },
  gross: { zh: '未申报基数,按本月应发', en: "no base declared, so this month's gross" },
};

function describeClamp(kind: Bilingual, declared: Fen, clamped: Fen, floor: Fen, cap: Fen): Bilingual {
  if (declared < floor) {
    return {
      zh: `${kind.zh}低于下限 ${yuan(floor)},按下限 ${yuan(clamped)}`,
      en: `${kind.en} below the floor ${yuan(floor)}, so ${yuan(clamped)}`,
    };
  }
  if (declared > cap) {
    return {
      zh: `${kind.zh}高于上限 ${yuan(cap)},按上限 ${yuan(clamped)}`,
      en: `${kind.en} above the cap ${yuan(cap)}, so ${yuan(clamped)}`,
    };
  }
  return {
    zh: `${kind.zh} ${yuan(clamped)}(下限 ${yuan(floor)}–上限 ${yuan(cap)})`,
    en: `${kind.en} ${yuan(clamped)} (floor ${yuan(floor)}, cap ${yuan(cap)})`,
  };
}

/** `explained` false: the figures only, explanations left empty (for months computed only to carry the year forward). */
export function contributionBase(city: CityMonth, declared: Fen, from: BaseSource, explained = true): ContributionBase {
  const si = clampBase(declared, city.socialInsurance.floor, city.socialInsurance.cap);
  const hf = clampBase(declared, city.housingFund.floor, city.housingFund.cap);
  if (!explained) return { declared, from, socialInsurance: si, housingFund: hf, explain: UNEXPLAINED };
  const source = BASE_SOURCE_NAMES[from];
  const siText = describeClamp(
    { zh: '社保基数', en: 'social-insurance base' },
    declared,
    si,
    city.socialInsurance.floor,
    city.socialInsurance.cap,
  );
  const hfText = describeClamp({ zh: '公积金基数', en: 'housing-fund base' }, declared, hf, city.housingFund.floor, city.housingFund.cap);
  return {
    declared,
    from,
    socialInsurance: si,
    housingFund: hf,
    explain: {
      zh: `缴费基数 ${yuan(declared)}(${source.zh});${siText.zh};${hfText.zh}`,
      en: `contribution base ${yuan(declared)} (${source.en}); ${siText.en}; ${hfText.en}`,
    },
  };
}

function rateLine(
  scheme: Scheme,
  side: Side,
  base: Fen,
  rate: Decimal,
  rounding: RoundingRule,
  explained: boolean,
  note?: Bilingual,
): ContributionLine {
  const amount = roundBaseTimesRate(base, rate, rounding);
  if (!explained) return { code: `${scheme}_${side}`, scheme, side, base, rate, amount, rule: 'R-NET', formula: '', explain: UNEXPLAINED };
  const formula = `${yuan(base)} × ${percent(rate)}`;
  const name = SCHEME_NAMES[scheme];
  const who = SIDE_NAMES[side];
  const rounded = describeRounding(rounding);
  return {
    code: `${scheme}_${side}`,
    scheme,
    side,
    base,
    rate,
    amount,
    rule: 'R-NET',
    formula,
    explain: {
      zh: `${name.zh}${who.zh}:${formula} = ${yuan(amount)}(${rounded.zh}${note ? `;${note.zh}` : ''})`,
      en: `${name.en}, ${who.en}: ${formula} = ${yuan(amount)} (${rounded.en}${note ? `; ${note.en}` : ''})`,
    },
  };
}

function fixedLine(amount: Fen): ContributionLine {
  return {
    code: 'medical_fixed_employee',
    scheme: 'medical',
    side: 'employee',
    base: null,
    rate: null,
    amount,
    rule: 'R-NET',
    formula: yuan(amount),
    explain: { zh: `大额医疗互助(个人定额):${yuan(amount)}`, en: `major-illness mutual aid (fixed, employee): ${yuan(amount)}` },
  };
}

const CLASS_ONE_NOTE: Bilingual = {
  zh: '城市一类行业基准费率;单位实际费率请用 workInjuryRate 输入',
  en: "the city's class I base rate; give the employer's own rate as workInjuryRate",
};

function sum(lines: readonly ContributionLine[]): Fen {
  return addFen(...lines.map((line) => line.amount));
}

function describeSum(lines: readonly ContributionLine[], total: Fen, title: Bilingual): Bilingual {
  const parts = (lang: 'zh' | 'en') =>
    lines
      .map((line) =>
        line.base === null
          ? `${lang === 'zh' ? '大额医疗互助' : 'mutual aid'} ${yuan(line.amount)}`
          : `${SCHEME_NAMES[line.scheme][lang]} ${yuan(line.amount)}`,
      )
      .join(' + ');
  return { zh: `${title.zh} = ${parts('zh') || '0.00'} = ${yuan(total)}`, en: `${title.en} = ${parts('en') || '0.00'} = ${yuan(total)}` };
}

/**
 * One month's contributions. `given` replaces the employee total (the input's `contributions`);
 * the employer side is always computed from the base.
 */
export function computeContributions(city: CityMonth, base: ContributionBase, given?: Fen, explained = true): Contributions {
  const si = base.socialInsurance;
  const hf = base.housingFund;
  const siRounding = city.rounding.socialInsurance;
  const employeeLines = [
    rateLine('pension', 'employee', si, city.pension.employee, siRounding, explained),
    rateLine('medical', 'employee', si, city.medical.employee, siRounding, explained),
    ...(city.medical.employeeFixed !== null ? [fixedLine(city.medical.employeeFixed)] : []),
    rateLine('unemployment', 'employee', si, city.unemployment.employee, siRounding, explained),
    rateLine('housingFund', 'employee', hf, city.housingFund.rate, city.rounding.housingFund, explained),
  ];
  const employerLines = [
    rateLine('pension', 'employer', si, city.pension.employer, siRounding, explained),
    rateLine('medical', 'employer', si, city.medical.employer, siRounding, explained),
    rateLine('unemployment', 'employer', si, city.unemployment.employer, siRounding, explained),
    rateLine(
      'workInjury',
      'employer',
      si,
      city.workInjury.employer,
      siRounding,
      explained,
      city.workInjury.from === 'city' ? CLASS_ONE_NOTE : undefined,
    ),
    rateLine('housingFund', 'employer', hf, city.housingFund.rate, city.rounding.housingFund, explained),
  ];
  const employeeComputed = sum(employeeLines);
  const employer = sum(employerLines);
  const figures = {
    base,
    lines: given !== undefined ? employerLines : [...employeeLines, ...employerLines],
    employee: given ?? employeeComputed,
    employer,
    employeeComputed,
    employeeGiven: given !== undefined,
  };
  if (!explained) return { ...figures, explain: { employee: UNEXPLAINED, employer: UNEXPLAINED } };
  const employeeExplain: Bilingual =
    given !== undefined
      ? {
          zh: `个人缴费按输入 ${yuan(given)}(按费率计算为 ${yuan(employeeComputed)},已被替代)`,
          en: `employee contributions as given in the input: ${yuan(given)} (the rates would give ${yuan(employeeComputed)})`,
        }
      : describeSum(employeeLines, employeeComputed, { zh: '个人缴费', en: 'employee contributions' });
  return {
    ...figures,
    explain: {
      employee: employeeExplain,
      employer: describeSum(employerLines, employer, { zh: '单位缴费', en: 'employer contributions' }),
    },
  };
}
