/**
 * Starts a throwaway PostgreSQL cluster for the test run when the server binaries are on this
 * machine, and provides its URL to the tests. Says clearly when it cannot; with
 * LADDER_REQUIRE_POSTGRES=1 (set by CI) it fails instead of skipping.
 */
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startThrowawayPostgres } from '../../tools/throwaway-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const skip = (reason: string) => {
    if (process.env.LADDER_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required (LADDER_REQUIRE_POSTGRES=1) but ${reason}`);
    console.warn(`\n[ladder] SKIPPING the PostgreSQL half of the store suites: ${reason}\n`);
    project.provide('postgresUrl', '');
    project.provide('postgresSkipReason', reason);
    return undefined;
  };
  if (process.env.LADDER_TEST_POSTGRES_URL) {
    project.provide('postgresUrl', process.env.LADDER_TEST_POSTGRES_URL);
    project.provide('postgresSkipReason', '');
    return undefined;
  }
  const bin = findPostgresBinaries();
  if (!bin) return skip('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  let cluster;
  try {
    cluster = await startThrowawayPostgres(bin);
  } catch (error) {
    return skip(`a throwaway cluster could not start (${(error as Error).message.split('\n')[0]})`);
  }
  project.provide('postgresUrl', cluster.url);
  project.provide('postgresSkipReason', '');
  return () => cluster.stop();
}
