/** Number formatting and Markdown tables shared by the report's sections. */
/** Reads a dotted key (`ingest.p99Ms`) from the results; undefined unless it is a finite number. */
export function valueAt(results: object, key: string): number | undefined {
  let current: unknown = results;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === 'number' && Number.isFinite(current) ? current : undefined;
}

/** Thousands separators from 100 up, two decimals for small ratios and latencies. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function withUnit(value: number, unit: string): string {
  if (unit === '×') return `${formatNumber(value)}×`;
  if (unit === '/s') return `${formatNumber(value)}/s`;
  return `${formatNumber(value)} ${unit}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
