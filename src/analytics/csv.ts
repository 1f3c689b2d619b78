import { stringify } from 'csv-stringify/sync';
import { guardCell } from '../crm/csv/cells.ts';
import type { Chart } from './charts.ts';

/**
 * A chart's items as a CSV file, like the CRM exports: UTF-8 with a BOM (Excel reads Chinese names
 * right), CRLF line ends, text cells guarded against formula injection; numbers as plain decimals.
 */
export function chartCsv<I>(chart: Pick<Chart<I, unknown>, 'csv'>, items: I[]): string {
  const header = chart.csv.map(([h]) => h);
  const rows = items.map((item) =>
    chart.csv.map(([, cell]) => {
      const v = cell(item);
      return v === null ? '' : typeof v === 'number' ? String(v) : guardCell(v);
    }),
  );
  return stringify([header, ...rows], { bom: true, record_delimiter: 'windows' });
}
