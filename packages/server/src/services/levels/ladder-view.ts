/**
 * The ladder view from the store: for each person, where they stand on every indicator of the
 * next level this quarter and what is missing — computed live (any time, also during the quarter,
 * on the figures stored so far) by core's `ladderView` on the same input as the evaluation.
 */
import { type Bilingual, type LadderStanding, ladderView } from '@ladder/core';
import { AppError, type ServiceContext } from '../context.js';
import { quarterArgument, readQuarter } from './evaluate.js';
import type { PersonFigures } from './quarter-input.js';

export interface StoredLadderStanding extends LadderStanding {
  employeeNo: string;
  name: string;
  /** The level's and the next level's names. */
  levelName: Bilingual;
  figures: PersonFigures;
}

export async function ladderStandings(ctx: ServiceContext, quarterText: string, employeeNo?: string): Promise<StoredLadderStanding[]> {
  const quarter = quarterArgument(quarterText);
  const { store, policy, levels } = await readQuarter(ctx.store.db, ctx, quarter);
  if (employeeNo !== undefined && !store.evaluated.some((p) => p.employeeNo === employeeNo)) {
    const why = store.notEvaluated.find((n) => n.employeeNo === employeeNo);
    throw new AppError(
      'not_evaluated',
      why
        ? `${employeeNo} is not on a level track in ${quarter}: ${why.en}`
        : `${employeeNo} is not an active agent on the last day of ${quarter}`,
    );
  }
  const standings = store.input.employees.length > 0 ? ladderView(levels, policy, store.input) : [];
  const result: StoredLadderStanding[] = [];
  store.evaluated.forEach((person, i) => {
    const standing = standings[i];
    if (!standing || (employeeNo !== undefined && person.employeeNo !== employeeNo)) return;
    const track = policy.groups[standing.group]?.track ?? '';
    const levelName = policy.tracks[track]?.levels.find((l) => l.code === standing.level)?.name ?? {
      zh: standing.level,
      en: standing.level,
    };
    result.push({ ...standing, employeeNo: person.employeeNo, name: person.name, levelName, figures: person.figures });
  });
  return result;
}
