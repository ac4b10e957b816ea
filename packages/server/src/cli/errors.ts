import { describeProblem, type Problem, ValidationError } from '@ladder/core';

/** A refusal the command line reports as one line per problem, exit status 2, no stack trace. */
export class CliError extends Error {
  readonly lines: readonly string[];
  readonly exitCode: number;

  constructor(lines: readonly string[], exitCode = 2) {
    super(lines.join('\n'));
    this.name = 'CliError';
    this.lines = lines;
    this.exitCode = exitCode;
  }
}

export function problemsIn(file: string, problems: readonly Problem[]): CliError {
  return new CliError(problems.map((problem) => `${file}: ${describeProblem(problem)}`));
}

/** Names the file on every problem of a validation error; other errors pass through. */
export function withFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ValidationError) throw problemsIn(file, error.problems);
    throw error;
  }
}
