/**
 * Starts a throwaway PostgreSQL cluster for the test run when the server binaries are on
 * this machine, and provides its URL to the tests. Says clearly when it cannot; with
 * LADDER_REQUIRE_POSTGRES=1 (set by CI) it fails instead of skipping.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresSkipReason: string;
  }
}

function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function postgresUid(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
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
  const bin = findBinaries();
  if (!bin) return skip('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');

  const owner = postgresUid();
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  // PostgreSQL refuses to run as root; as root, run its tools as the postgres user.
  const run = (tool: string, args: string[]) => {
    const command = owner ? 'runuser' : path.join(bin, tool);
    const fullArgs = owner ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    const result = spawnSync(command, fullArgs, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, 'data');
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return skip(`initdb could not create a cluster (${(error as Error).message.split('\n')[0]})`);
  }
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  project.provide('postgresSkipReason', '');
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
