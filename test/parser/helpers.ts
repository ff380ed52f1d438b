import { shippedCatalog } from '../../seeds/catalogs.js';
import { parseReport } from '../../src/parser/parseReport.js';
import type { FigureItem, ParseResult } from '../../src/parser/types.js';

export const catalog = shippedCatalog(2024);

export function parse(text: string, org: string | undefined = '市城市管理局', date = '2024-10-31'): ParseResult {
  return parseReport(text, { catalog, senderOrg: org, date });
}

export function figures(r: ParseResult): FigureItem[] {
  return r.items.filter((i): i is FigureItem => 'value' in i);
}
