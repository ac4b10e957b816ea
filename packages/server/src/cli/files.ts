import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parsePolicy, type ParsedPolicy } from '@ladder/core';
import { CliError, withFile } from './errors.js';

export function readText(file: string, cwd: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})`;
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
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? `${lineAndColumn(source, Number(position[1]))}: ` : '';
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new CliError([`${file}: ${where}not valid JSON (${reason})`]);
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
