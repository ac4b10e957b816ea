import { firstDayOf, type Month } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import type { Policy } from './model.js';

/** R-RUN-5: the version in force on the first day of the month — the latest effective on or before it. */
export function policyInForce(versions: readonly Policy[], month: Month): Policy {
  const day = firstDayOf(month);
  let chosen: Policy | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= day && (chosen === undefined || version.effectiveFrom > chosen.effectiveFrom)) {
      chosen = version;
    }
  }
  if (chosen === undefined) {
    const earliest = [...versions].map((v) => v.effectiveFrom).sort()[0];
    throw new ValidationError(
      [
        {
          path: 'period',
          message: `no policy version is in force on ${day}${earliest ? ` (the earliest takes effect on ${earliest})` : ''}`,
        },
      ],
      'no policy in force',
    );
  }
  return chosen;
}

/** Several versions of one policy: same id, distinct effective dates. */
export function checkVersionSet(versions: readonly Policy[]): void {
  const problems = [];
  const ids = new Set(versions.map((v) => v.policy));
  if (ids.size > 1) problems.push({ path: 'policy', message: `versions of different policies given together: ${[...ids].join(', ')}` });
  const seen = new Map<string, string>();
  for (const version of versions) {
    const other = seen.get(version.effectiveFrom);
    if (other !== undefined) {
      problems.push({
        path: 'effectiveFrom',
        message: `versions ${other} and ${version.version} both take effect on ${version.effectiveFrom}`,
      });
    }
    seen.set(version.effectiveFrom, version.version);
  }
  if (problems.length > 0) throw new ValidationError(problems, 'policy versions conflict');
}
