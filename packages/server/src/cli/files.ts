import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parsePolicy, type ParsedPolicy } from '@ladder/core';
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import { CliError, withFile } from './errors.js';

export function readText(file: string, cwd: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new CliError([`${file}: ${reason}`]);
  }
}

function lineAndColumn(source: string, position: number): string {
  const before = source.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Parses JSON, turning a syntax error into "file: line L, column C: reason". */
export function readJson(file: string, cwd: string): unknown {
  const source = readText(file, cwd).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    // JSON.parse does not say where; a second, locating parser does.
    const errors: ParseError[] = [];
    parseTolerant(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) throw new CliError([`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`]);
    throw new CliError([`${file}: ${lineAndColumn(source, first.offset)}: not valid JSON (${printParseErrorCode(first.error)})`]);
  }
}

export function readPolicyFile(file: string, cwd: string): ParsedPolicy {
  const source = readText(file, cwd);
  return withFile(file, () => parsePolicy(source));
}

const require = createRequire(import.meta.url);

/** The shipped default policy of SPEC §13. */
export function defaultPolicyPath(): string {
  return require.resolve('@ladder/core/policies/default.yaml');
}
