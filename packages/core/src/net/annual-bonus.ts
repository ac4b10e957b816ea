/**
 * The annual one-time bonus (全年一次性奖金) taxed separately (财税〔2018〕164号 item 1(1),
 * extended by 财政部 税务总局公告2023年第30号): the bracket of the monthly-converted table is
 * found by bonus ÷ 12, and tax = bonus × rate − quick deduction (the deduction is not × 12).
 *
 * Because the whole bonus takes the higher rate as soon as it passes a bracket's 12 × upTo,
 * a little more bonus can leave less after tax: `bonusCliffs` lists those ranges for HR.
 */
import { Decimal } from '../money/decimal.js';
import { type Fen, fen, fenToYuan, yuanToFen } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';
import { figure, percent, yuan } from './explain.js';
import { type Bracket, bracketFor } from './tax-tables.js';

export interface BonusTax {
  tax: Fen;
  bracket: Bracket;
  index: number;
  explain: Bilingual;
}

const TWELVE = new Decimal(12);

export function separateBonusTax(amount: Fen, table: readonly Bracket[]): BonusTax {
  const value = fenToYuan(amount);
  const { bracket, index } = bracketFor(table, value, 12);
  const tax = yuanToFen(Decimal.max(value.times(bracket.rate).minus(bracket.quickDeduction), 0));
  const monthly = value.dividedBy(TWELVE).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const formula = `${yuan(amount)} × ${percent(bracket.rate)} − ${figure(bracket.quickDeduction)} = ${yuan(tax)}`;
  const band =
    bracket.upTo === null
      ? ''
      : `${index === 0 ? '' : '> ' + figure(table[index - 1]?.upTo ?? new Decimal(0)) + ', '}≤ ${figure(bracket.upTo)}`;
  return {
    tax,
    bracket,
    index,
    explain: {
      zh: `全年一次性奖金单独计税:${yuan(amount)} ÷ 12 ≈ ${figure(monthly)}${band ? `(${band})` : ''},适用按月换算税率表第 ${index + 1} 级 ${percent(bracket.rate)},速算扣除数 ${figure(bracket.quickDeduction)};${formula}`,
      en: `annual bonus taxed separately: ${yuan(amount)} ÷ 12 ≈ ${figure(monthly)}${band ? ` (${band})` : ''}, level ${index + 1} of the monthly-converted table, ${percent(bracket.rate)}, quick deduction ${figure(bracket.quickDeduction)}; ${formula}`,
    },
  };
}

export interface BonusCliff {
  /** 12 × the bracket's upper bound: the last bonus taxed at the lower rate. */
  threshold: Fen;
  /** The first bonus taxed at the higher rate (threshold + 0.01). */
  from: Fen;
  /** The break-even bonus: from here on the bonus nets as much as the threshold again. */
  to: Fen;
  rateBelow: Decimal;
  rateAbove: Decimal;
  /** Net of a bonus of exactly the threshold. */
  netAtThreshold: Fen;
  explain: Bilingual;
}

/**
 * The "cliff" ranges of the separate method: bonuses in from … to net less than a bonus of
 * exactly the threshold (at `to`, about as much). `to` is the break-even (T × (1 − r₁) + QD₁ − QD₂) ÷ (1 − r₂),
 * half-up to the fen (36000.01–38566.67 for the first cliff of the current table).
 */
export function bonusCliffs(table: readonly Bracket[]): BonusCliff[] {
  const cliffs: BonusCliff[] = [];
  table.forEach((below, index) => {
    const above = table[index + 1];
    if (below.upTo === null || above === undefined) return;
    const threshold = yuanToFen(below.upTo.times(TWELVE));
    const thresholdYuan = fenToYuan(threshold);
    const netAtThresholdYuan = thresholdYuan.times(new Decimal(1).minus(below.rate)).plus(below.quickDeduction);
    const breakEven = netAtThresholdYuan.minus(above.quickDeduction).dividedBy(new Decimal(1).minus(above.rate));
    const netAtThreshold = fen(threshold - separateBonusTax(threshold, table).tax);
    const from = fen(threshold + 1);
    const to = yuanToFen(breakEven);
    const range = `${yuan(from)}–${yuan(to)}`;
    cliffs.push({
      threshold,
      from,
      to,
      rateBelow: below.rate,
      rateAbove: above.rate,
      netAtThreshold,
      explain: {
        zh: `奖金 ${range}:超过 ${yuan(threshold)} 后全部奖金适用 ${percent(above.rate)}(原 ${percent(below.rate)}),税后少于(上端约等于)奖金恰为 ${yuan(threshold)} 时的 ${yuan(netAtThreshold)}`,
        en: `a bonus of ${range}: past ${yuan(threshold)} the whole bonus is taxed at ${percent(above.rate)} instead of ${percent(below.rate)}, so it nets less than (at the top end, about as much as) the ${yuan(netAtThreshold)} of a bonus of exactly ${yuan(threshold)}`,
      },
    });
  });
  return cliffs;
}

/** The cliff a bonus falls in (from ≤ amount ≤ to), if any. */
export function cliffContaining(amount: Fen, cliffs: readonly BonusCliff[]): BonusCliff | undefined {
  return cliffs.find((cliff) => amount >= cliff.from && amount <= cliff.to);
}
