import { diffPolicies, formatPolicyDiff } from '@ladder/core';
import { readPolicyFile } from '../files.js';

/** `ladder policy check FILE…`: every file validated; all problems of all files listed. */
export function runPolicyCheck(files: readonly string[], cwd: string): string {
  return files
    .map((file) => {
      const { policy } = readPolicyFile(file, cwd);
      const counts = `${Object.keys(policy.groups).length} groups, ${Object.keys(policy.tracks).length} tracks, ${Object.keys(policy.bands).length} band tables`;
      return `${file}: OK — ${policy.policy} ${policy.version}, effective ${policy.effectiveFrom} (${counts})\n`;
    })
    .join('');
}

/** `ladder policy diff OLD NEW`: what changed, grouped by the SPEC rule it belongs to. */
export function runPolicyDiff(oldFile: string, newFile: string, cwd: string): string {
  const before = readPolicyFile(oldFile, cwd);
  const after = readPolicyFile(newFile, cwd);
  const header = `${oldFile} (${before.policy.policy} ${before.policy.version}, ${before.policy.effectiveFrom}) → ${newFile} (${after.policy.policy} ${after.policy.version}, ${after.policy.effectiveFrom})\n\n`;
  return header + formatPolicyDiff(diffPolicies(before.data, after.data));
}
