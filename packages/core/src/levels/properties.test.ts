import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsToDate, compareDates, type IsoDate, monthOf, monthsOfQuarter, type Quarter } from '../period/period.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { evaluateQuarter, type LevelDecision, type LevelEvaluation } from './evaluate.js';
import type { RawMonth, RawPerson } from './fixtures.js';
import { dayAfterQuarter, readQuarterInput } from './input.js';
import { parseLevelRules } from './policy.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const rules = parseLevelRules(readFileSync(new URL('./default-levels.yaml', import.meta.url), 'utf8'), policy);

const QUARTER = '2026-Q3' as Quarter;
const MONTHS = monthsOfQuarter(QUARTER);
const LAST_DAY = '2026-09-30' as IsoDate;

const monthArb = fc.record({
  conversations: fc.integer({ min: 1500, max: 2500 }),
  deductions: fc.integer({ min: 0, max: 90 }).map((n) => n / 2),
  csat: fc.integer({ min: 80, max: 100 }).map((n) => n / 100),
});

const personArb = fc.record({
  group: fc.constantFrom('basic', 'vip', 'phone', 'sales'),
  levelIndex: fc.integer({ min: 0, max: 3 }),
  hireOffset: fc.integer({ min: -30, max: 2 }),
  hireDay: fc.integer({ min: 1, max: 28 }),
  levelOffset: fc.integer({ min: 0, max: 30 }),
  knowledgeTest: fc.integer({ min: 60, max: 100 }),
  months: fc.tuple(monthArb, monthArb, monthArb),
});

type PersonArb = typeof personArb extends fc.Arbitrary<infer T> ? T : never;

function toRaw(p: PersonArb, index: number): RawPerson {
  const track = policy.tracks[policy.groups[p.group]?.track ?? ''];
  const level = track?.levels[p.levelIndex]?.code ?? 'junior';
  const hiredOn = addMonthsToDate(`2026-07-${String(p.hireDay).padStart(2, '0')}` as IsoDate, p.hireOffset);
  const promoted = addMonthsToDate(hiredOn, p.levelOffset);
  const levelSince = compareDates(promoted, LAST_DAY) > 0 ? hiredOn : promoted;
  const months: RawMonth[] = MONTHS.map((month, i) => ({ month, ...p.months[i] }) as RawMonth).filter((m) => m.month >= monthOf(hiredOn));
  return { id: `E${index}`, group: p.group, level, hiredOn, levelSince, knowledgeTest: p.knowledgeTest, months };
}

function evaluate(people: RawPerson[]): LevelEvaluation[] {
  const input = readQuarterInput({ quarter: QUARTER, employees: people }, rules, policy);
  return evaluateQuarter(rules, policy, input).evaluations;
}

const RANK: Record<LevelDecision, number> = { review_dismissal: 0, demote: 0, keep: 1, promote: 2 };

const teamArb = fc.array(personArb, { minLength: 1, maxLength: 6 }).map((people) => people.map(toRaw));

describe('properties of the quarterly evaluation', () => {
  it('moves at most one level, to the neighbour on the track, and respects the top, the floor and probation', () => {
    fc.assert(
      fc.property(teamArb, (people) => {
        for (const e of evaluate(people)) {
          const track = policy.tracks[e.track];
          const codes = track?.levels.map((l) => l.code) ?? [];
          const from = codes.indexOf(e.from);
          const to = codes.indexOf(e.to);
          const trackRules = rules.tracks[e.track];
          const floor = codes.indexOf(trackRules?.floor ?? '');
          if (e.decision === 'promote') expect(to).toBe(from + 1);
          else if (e.decision === 'demote') {
            expect(to).toBe(from - 1);
            expect(from).toBeGreaterThan(floor);
          } else expect(to).toBe(from);
          if (e.decision === 'review_dismissal') expect(e.from).toBe(trackRules?.probation?.level);
          if (e.from === trackRules?.probation?.level) expect(e.decision).not.toBe('demote');
          expect(e.effectiveFrom).toBe('2026-10-01');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('promotes exactly when the basic indicator holds all three months and every check of the next level passes', () => {
    fc.assert(
      fc.property(teamArb, (people) => {
        for (const e of evaluate(people)) {
          const basic = e.checks.filter((c) => c.indicator === 'conversations');
          const next = e.checks.filter((c) => c.level !== undefined && c.level !== e.from && c.month === undefined);
          const probation = e.checks.find((c) => c.indicator === 'probation');
          const qualifies =
            basic.length === 3 && basic.every((c) => c.pass) && next.length > 0 && next.every((c) => c.pass) && (probation?.pass ?? true);
          expect(e.decision === 'promote').toBe(qualifies);
          if (e.decision === 'demote') expect(e.checks.find((c) => c.indicator === 'monthsHolding')?.pass).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never improves a decision when one month gets worse (a failing month never turns a demote into a promote)', () => {
    const worse = fc.record({
      who: fc.nat(),
      month: fc.integer({ min: 0, max: 2 }),
      fewer: fc.integer({ min: 0, max: 800 }),
      more: fc.integer({ min: 0, max: 60 }),
      lower: fc.integer({ min: 0, max: 30 }).map((n) => n / 100),
      test: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(teamArb, worse, (people, w) => {
        const who = w.who % people.length;
        const before = evaluate(people)[who] as LevelEvaluation;
        const person = people[who] as RawPerson;
        const changed: RawPerson = {
          ...person,
          knowledgeTest: Math.max(0, Number(person.knowledgeTest) - w.test),
          months: person.months.map((m, i) =>
            i === w.month
              ? {
                  ...m,
                  conversations: Math.max(0, Number(m.conversations) - w.fewer),
                  deductions: Number(m.deductions) + w.more,
                  csat: Math.max(0, Math.round((Number(m.csat) - w.lower) * 100) / 100),
                }
              : m,
          ),
        };
        const after = evaluate(people.map((p, i) => (i === who ? changed : p)))[who] as LevelEvaluation;
        expect(RANK[after.decision]).toBeLessThanOrEqual(RANK[before.decision]);
      }),
      { numRuns: 300 },
    );
  });

  it('covers every decision', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(teamArb, (people) => {
        for (const e of evaluate(people)) seen.add(e.decision);
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...seen].sort()).toEqual(['demote', 'keep', 'promote', 'review_dismissal']);
  });

  it('does not depend on the order of the people in the file', () => {
    fc.assert(
      fc.property(teamArb, fc.nat(), (people, seed) => {
        const rotated = people.map((_, i) => people[(i + seed) % people.length] as RawPerson);
        const byId = (list: LevelEvaluation[]) =>
          Object.fromEntries(list.map((e) => [e.employeeId, [e.decision, e.to, e.checks.map((c) => c.value)]]));
        expect(byId(evaluate(rotated))).toEqual(byId(evaluate(people)));
      }),
      { numRuns: 100 },
    );
  });

  it('holds tenure exactly at the boundary and not one day short, in any quarter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2020, max: 2030 }), fc.integer({ min: 1, max: 4 }), (year, q) => {
        const quarter = `${year}-Q${q}` as Quarter;
        const months = monthsOfQuarter(quarter);
        const since = `${months[0]}-01` as IsoDate; // + 3 months = the day after the quarter
        const figures = months.map((month) => ({ month, conversations: 1, deductions: 1, csat: 1 }));
        const person = (levelSince: IsoDate): RawPerson => ({
          id: 'E',
          group: 'basic',
          level: 'junior',
          hiredOn: `${year - 2}-01-01`,
          levelSince,
          knowledgeTest: 90,
          months: figures,
        });
        const run = (levelSince: IsoDate) => {
          const input = readQuarterInput({ quarter, employees: [person(levelSince)] }, rules, policy);
          return evaluateQuarter(rules, policy, input).evaluations[0] as LevelEvaluation;
        };
        expect(addMonthsToDate(since, 3)).toBe(dayAfterQuarter(quarter));
        expect(run(since).decision).toBe('promote');
        expect(run(`${months[0]}-02` as IsoDate).decision).toBe('keep');
      }),
      { numRuns: 40 },
    );
  });

  it('holds the basic indicator for everyone when a group is level on conversations', () => {
    fc.assert(
      fc.property(teamArb, fc.integer({ min: 0, max: 5000 }), (people, n) => {
        const level = people.map((p) => ({ ...p, months: p.months.map((m) => ({ ...m, conversations: n })) }));
        for (const e of evaluate(level)) {
          for (const c of e.checks.filter((check) => check.indicator === 'conversations' && check.value !== null))
            expect(c.pass).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
