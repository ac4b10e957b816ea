import { Decimal } from '../money/decimal.js';
import { type Fen, yuanToFen } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';
import type { RoundingRule, RoundingUnit } from './city-rates.js';

const PLACES: Record<RoundingUnit, number> = { fen: 2, jiao: 1, yuan: 0 };
const UNIT_NAMES: Record<RoundingUnit, Bilingual> = {
  fen: { zh: '分', en: 'fen' },
  jiao: { zh: '角', en: 'jiao' },
  yuan: { zh: '元', en: 'yuan' },
};

/** Rounds a non-negative yuan amount by a city's rule (to the fen, jiao or yuan; half-up or up). */
export function roundByRule(yuan: Decimal, rule: RoundingRule): Fen {
  const mode = rule.mode === 'half-up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_UP;
  return yuanToFen(yuan.toDecimalPlaces(PLACES[rule.to], mode));
}

export function describeRounding(rule: RoundingRule): Bilingual {
  const unit = UNIT_NAMES[rule.to];
  return rule.mode === 'half-up'
    ? { zh: `按${unit.zh}四舍五入`, en: `rounded half-up to the ${unit.en}` }
    : { zh: `按${unit.zh}进位`, en: `rounded up to the ${unit.en}` };
}
