/**
 * Builders of evaluate input for tests and examples: plain JSON-like data, as a file would hold it.
 * (No file system here: tests read the policies themselves.)
 */
export interface RawMonth {
  month: string;
  conversations: number | string;
  deductions?: number | string;
  csat?: number | string;
  complaintResolutionRate?: number | string;
  handleTime?: number | string;
}

export type RawPerson = Record<string, unknown> & { id: string; group: string; level: string; months: RawMonth[] };

const Q3 = ['2026-07', '2026-08', '2026-09'] as const;

/** Three months of Q3 2026 from per-month conversations, deductions and CSAT. */
export function q3Months(conversations: readonly number[], deductions: readonly number[], csat: readonly number[]): RawMonth[] {
  return Q3.map((month, i) => ({ month, conversations: conversations[i] ?? 0, deductions: deductions[i] ?? 0, csat: csat[i] ?? 0 }));
}

/** A basic junior who meets intermediate in Q3 2026 when evaluated alone. An override of undefined removes the key. */
export function rawPerson(overrides: Partial<RawPerson> = {}): RawPerson {
  const person: RawPerson = {
    id: 'E001',
    group: 'basic',
    level: 'junior',
    hiredOn: '2023-03-01',
    levelSince: '2025-06-01',
    knowledgeTest: 80,
    months: q3Months([2000, 2000, 2000], [12, 20, 8], [0.96, 0.93, 0.97]),
    ...overrides,
  };
  for (const key of Object.keys(person)) if (person[key] === undefined) delete person[key];
  return person;
}

export function rawQuarter(employees: readonly RawPerson[], quarter = '2026-Q3'): { quarter: string; employees: RawPerson[] } {
  return { quarter, employees: [...employees] };
}
