import path from 'node:path';
import {
  type CityRates,
  type EmployeeNetResult,
  formatYuan,
  grossToNet,
  type NetResult,
  netResultToJson,
  parseCityRates,
  parseTaxTables,
  readNetInput,
} from '@ladder/core';
import { chinaDataFolder, cityFiles } from '../../services/china-data.js';
import { CliError, withFile } from '../errors.js';
import { readJson, readText } from '../files.js';
import { renderTable } from '../text-table.js';

export interface NetOptions {
  input: string;
  /** Overrides the input's "city". */
  city?: string;
  format: 'json' | 'table';
  cwd: string;
}

const TAX_FILE = 'individual-income-tax.yaml';

function loadCity(file: string): CityRates {
  const rates = withFile(file, () => parseCityRates(readText(file, path.dirname(file))));
  const code = path.basename(file, '.yaml');
  if (rates.city !== code) throw new CliError([`${file}: city: is "${rates.city}" but the file is named ${code}.yaml`]);
  return rates;
}

/** Finds a city by code (shanghai) or name (上海, Shanghai), case-insensitively. */
function findCity(wanted: string, where: string, folder: string): CityRates {
  const files = cityFiles(folder);
  const key = wanted.trim().toLowerCase();
  const byCode = files.get(key);
  if (byCode) return loadCity(byCode);
  for (const file of files.values()) {
    const rates = loadCity(file);
    if (rates.name.zh === wanted.trim() || rates.name.en.toLowerCase() === key) return rates;
  }
  throw new CliError([`${where}unknown city "${wanted}" (known: ${[...files.keys()].sort().join(', ')})`]);
}

export function runNet(options: NetOptions): string {
  const data = readJson(options.input, options.cwd);
  const input = withFile(options.input, () => readNetInput(data));
  const folder = chinaDataFolder();
  let city: CityRates;
  if (options.city !== undefined) city = findCity(options.city, '--city: ', folder);
  else if (input.city !== undefined) city = findCity(input.city, `${options.input}: city: `, folder);
  else throw new CliError([`${options.input}: city: is required (give "city" in the input or --city)`]);
  const taxFile = path.join(folder, TAX_FILE);
  const tax = withFile(taxFile, () => parseTaxTables(readText(taxFile, folder)));
  const result = withFile(options.input, () => grossToNet(input, { city, tax }));
  if (options.format === 'table') return renderNetTable(result);
  return `${JSON.stringify(netResultToJson(result), null, 2)}\n`;
}

const COLUMNS = [
  { title: '月份 Month' },
  { title: '应发 Gross', align: 'right' },
  { title: '个人缴费 Employee contr.', align: 'right' },
  { title: '单位缴费 Employer contr.', align: 'right' },
  { title: '累计应税 Taxable YTD', align: 'right' },
  { title: '个税 Tax', align: 'right' },
  { title: '奖金 Bonus', align: 'right' },
  { title: '奖金税 Bonus tax', align: 'right' },
  { title: '实发 Net', align: 'right' },
] as const;

function employeeTable(employee: EmployeeNetResult): string {
  const withBonus = employee.bonus !== null;
  const rows = employee.months.map((m) => [
    m.month,
    formatYuan(m.gross),
    `${formatYuan(m.employeeContributions)}${m.contributions.employeeGiven ? '*' : ''}`,
    formatYuan(m.employerContributions),
    formatYuan(m.taxableYtd),
    formatYuan(m.tax),
    m.bonus ? formatYuan(m.bonus.amount) : '',
    m.bonus ? formatYuan(m.bonus.tax) : '',
    formatYuan(m.net),
  ]);
  const t = employee.totals;
  rows.push([
    '合计 Total',
    formatYuan(t.gross),
    formatYuan(t.employeeContributions),
    formatYuan(t.employerContributions),
    '',
    formatYuan(t.tax),
    formatYuan(t.bonus),
    formatYuan(t.bonusTax),
    formatYuan(t.net),
  ]);
  // The bonus columns (6 and 7) only for someone with an annual bonus.
  const keep = (_: unknown, index: number) => withBonus || (index !== 6 && index !== 7);
  return renderTable(
    COLUMNS.filter(keep),
    rows.map((row) => row.filter(keep)),
  );
}

function renderNetTable(result: NetResult): string {
  let text = '';
  for (const employee of result.employees) {
    const first = employee.firstIncomeOfYear ? ' · 年内首次取得工资 first income of the year' : '';
    text += `${result.cityName.zh} ${result.cityName.en} · ${employee.year} · ${employee.id}${first}\n`;
    text += employeeTable(employee);
    if (employee.months.some((m) => m.contributions.employeeGiven))
      text += '* 个人缴费按输入 / employee contributions as given in the input\n';
    if (employee.bonus) text += `${employee.bonus.explain.zh}\n${employee.bonus.explain.en}\n`;
    text += '\n';
  }
  if (result.bonusCliffs.length > 0) {
    text += '年终奖单独计税临界区间 / cliffs of the separately taxed annual bonus:\n';
    for (const cliff of result.bonusCliffs) text += `  ${formatYuan(cliff.from)}–${formatYuan(cliff.to)}\n`;
    text += '\n';
  }
  if (result.dataNotes.length > 0) {
    text += '数据提示(非官方原文确认的数值)/ data notes (values not confirmed by official text):\n';
    for (const note of result.dataNotes) {
      const period = `${note.effectiveFrom} … ${note.effectiveTo ?? ''}`.trimEnd();
      text += `  ${note.parameter} = ${note.value} (${period}) [${note.confidence}]${note.note ? ` — ${note.note}` : ''}\n`;
    }
  }
  return text;
}
