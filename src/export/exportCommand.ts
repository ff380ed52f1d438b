import { writeFileSync } from 'node:fs';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';
import { localDate } from '../workdays/zoned.js';
import { buildCsv } from './buildCsv.js';
import { buildWorkbook } from './buildWorkbook.js';
import { exportData } from './exportData.js';

const USAGE =
  'usage: npm run -s cli -- export [--date YYYY-MM-DD] [--format xlsx|csv] --out FILE\n' +
  '  xlsx: sheets 通报, 区县, 明细; csv: the 通报 table\n';

/** `export`: the 通报 workbook (or its csv) as of a date, written to a file. */
export async function exportCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const format = flags.format === undefined ? 'xlsx' : flags.format;
  if (format !== 'xlsx' && format !== 'csv') {
    process.stderr.write(USAGE);
    return 2;
  }
  if (flags.date !== undefined && (typeof flags.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(flags.date))) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (typeof flags.out !== 'string') {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const date = typeof flags.date === 'string' ? flags.date : localDate(deps.clock.now(), deps.config.BOT_TIMEZONE);
    const data = await exportData(deps, date);
    const bytes =
      format === 'xlsx'
        ? await buildWorkbook(data, { title: `${deps.catalog.year}年重点民生实事进展通报（截至${date}）` })
        : new TextEncoder().encode(buildCsv(data.tables[0]));
    writeFileSync(flags.out, bytes);
    process.stdout.write(
      `${flags.out}: ${format}, as of ${date}, ${data.tables[0].rows.length} metrics, ${data.tables[2].rows.length} report items (${bytes.length} bytes)\n`,
    );
    return 0;
  } finally {
    await close();
  }
}
