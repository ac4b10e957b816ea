import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shipped default policy's text, for tests. */
export function defaultPolicyText(): string {
  return readFileSync(fileURLToPath(new URL('../../policies/default.yaml', import.meta.url)), 'utf8');
}
