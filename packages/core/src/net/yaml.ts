import { parseDocument } from 'yaml';
import { ValidationError } from '../validate/problems.js';

/** Parses YAML (or JSON) text to plain data; a syntax error becomes a ValidationError naming line and column. */
export function parseYamlData(source: string, summary: string): unknown {
  const document = parseDocument(source, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ValidationError(
      document.errors.map((error) => {
        const where = error.linePos?.[0];
        const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: where ? `line ${where.line}, column ${where.col}` : '', message };
      }),
      summary,
    );
  }
  return document.toJS() as unknown;
}
