import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type CityRates, parseCityRates, parseTaxTables, type TaxTables } from '@ladder/core';

const TAX_FILE = 'individual-income-tax.yaml';
const require = createRequire(import.meta.url);

/** The shipped China data folder: one YAML file per city plus the national tax tables. */
export function chinaDataFolder(): string {
  return path.dirname(require.resolve(`@ladder/core/policies/china/${TAX_FILE}`));
}

/** City code → file, for every city the data folder has. */
export function cityFiles(folder = chinaDataFolder()): Map<string, string> {
  const files = readdirSync(folder).filter((file) => file.endsWith('.yaml') && file !== TAX_FILE);
  return new Map(files.map((file) => [file.slice(0, -'.yaml'.length), path.join(folder, file)]));
}

export function taxTablesFile(folder = chinaDataFolder()): string {
  return path.join(folder, TAX_FILE);
}

const cache = new Map<string, CityRates>();
let taxTables: TaxTables | undefined;

/** A city's rates by code (shanghai) or name (上海, Shanghai); undefined when the data has no such city. Throws ValidationError on bad data. */
export function cityRates(wanted: string): CityRates | undefined {
  const key = wanted.trim().toLowerCase();
  const cached = cache.get(key);
  if (cached) return cached;
  for (const [code, file] of cityFiles()) {
    const rates = parseCityRates(readFileSync(file, 'utf8'));
    if (code === key || rates.name.zh === wanted.trim() || rates.name.en.toLowerCase() === key) {
      cache.set(key, rates);
      return rates;
    }
  }
  return undefined;
}

export function nationalTaxTables(): TaxTables {
  taxTables ??= parseTaxTables(readFileSync(taxTablesFile(), 'utf8'));
  return taxTables;
}
