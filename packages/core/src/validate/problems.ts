/** A problem with some input: where it is (a JSON-style path) and what is wrong. */
export interface Problem {
  path: string;
  message: string;
}

export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Thrown when input is refused; carries every problem found, not only the first. */
export class ValidationError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], summary = 'invalid input') {
    super(`${summary}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

export function describeProblem(problem: Problem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
