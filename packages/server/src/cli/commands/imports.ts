import path from 'node:path';
import { formatProblem, IMPORT_KINDS, ImportUsageError, isImportKind, writeTemplate } from '../../ingest/index.js';
import { progressBar } from '../progress.js';
import { importFile } from '../../services/imports/import-file.js';
import { CliError } from '../errors.js';
import { type StoreOptions, withStore } from './payroll.js';

function kindArgument(kind: string | undefined): Parameters<typeof importFile>[1] {
  if (!kind || !isImportKind(kind)) {
    throw new CliError([`expected an import kind, got ${kind ?? '(nothing)'}`, `kinds: ${Object.keys(IMPORT_KINDS).join(', ')}`]);
  }
  return kind;
}

/**
 * `ladder import KIND FILE…`: each file all-or-nothing, with a progress bar; a refused file writes
 * its error report beside it and the command exits 2 after trying every file.
 */
export async function runImport(
  args: { kind?: string; files: string[]; format?: string; source?: string },
  options: StoreOptions & { progress?: NodeJS.WritableStream & { isTTY?: boolean } },
): Promise<string> {
  const kind = kindArgument(args.kind);
  if (args.files.length === 0) throw new CliError(['import needs at least one FILE']);
  if (args.format !== undefined && !['csv', 'xlsx', 'json'].includes(args.format))
    throw new CliError([`--format must be csv, xlsx or json, got ${args.format}`]);
  return withStore(options, async (ctx) => {
    const lines: string[] = [];
    const refusals: string[] = [];
    for (const name of args.files) {
      const file = path.resolve(options.cwd, name);
      const bar = progressBar(options.progress ?? process.stderr, { label: path.basename(file) });
      let result;
      try {
        result = await importFile(ctx, kind, file, {
          ...(args.format ? { format: args.format as 'csv' | 'xlsx' | 'json' } : {}),
          ...(args.source ? { source: args.source } : {}),
          onProgress: bar.update,
        });
      } catch (error) {
        if (error instanceof ImportUsageError) throw new CliError([`${name}: ${error.message}`]);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError([`${name}: no such file`]);
        throw error;
      } finally {
        bar.done();
      }
      if (result.status === 'imported') lines.push(`${name}: 已导入 imported ${result.rows} 行 rows`);
      if (result.status === 'unchanged') lines.push(`${name}: 此前已导入,未作更改 already imported, nothing changed`);
      if (result.status === 'refused') {
        refusals.push(...result.problems.slice(0, 20).map((p) => formatProblem(p)));
        if (result.problems.length > 20) refusals.push(`… ${result.problems.length - 20} more`);
        refusals.push(`${name}: 未导入任何数据 nothing imported; 错误报告 error report: ${result.report?.csv ?? ''}`);
      }
    }
    if (refusals.length > 0) throw new CliError([...lines, ...refusals]);
    return `${lines.join('\n')}\n`;
  });
}

/** `ladder template KIND [--format xlsx|csv] [--out FILE]`: a header row in Chinese and English and an example row. */
export async function runTemplate(args: { kind?: string; format?: string; out?: string }, cwd: string): Promise<string> {
  const kind = kindArgument(args.kind);
  if (!IMPORT_KINDS[kind].canonical) throw new CliError([`${kind} reads the help desk's own export; there is no template for it`]);
  const format = args.format ?? 'xlsx';
  if (format !== 'xlsx' && format !== 'csv') throw new CliError([`--format must be xlsx or csv, got ${format}`]);
  const file = path.resolve(cwd, args.out ?? `${kind}-template.${format}`);
  await writeTemplate(kind as Parameters<typeof writeTemplate>[0], format, file);
  return `模板 template → ${file}\n`;
}
