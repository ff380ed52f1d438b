import ExcelJS from 'exceljs';
import type { ExportData, Table } from './exportData.js';

// The 通报 workbook (xlsx) with exceljs: a styled, frozen header row, column widths, an
// autofilter, numbers stored as numbers (percentages as fractions shown with %), dates as dates,
// and the status cells coloured as on the card and the board.

const STATUS_FILL: Record<string, string> = {
  done: 'FFD6E4FF',
  on_track: 'FFD7F5E6',
  lagging: 'FFFFE4BA',
  severe: 'FFFFD4D0',
  no_data: 'FFE5E6EB',
};
const STATUS_FONT: Record<string, string> = {
  done: 'FF1D4ED8',
  on_track: 'FF00734D',
  lagging: 'FFB45309',
  severe: 'FFC81E1E',
  no_data: 'FF4E5969',
};
const FORMAT: Record<string, string | undefined> = {
  int: '0',
  num: '#,##0.##',
  pct: '0.0%',
  date: 'yyyy-mm-dd',
  time: 'yyyy-mm-dd hh:mm',
  text: '@',
};

function addTable(wb: ExcelJS.Workbook, t: Table): void {
  const ws = wb.addWorksheet(t.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: t.frozenColumns }] });
  ws.columns = t.columns.map((c) => ({
    header: c.header,
    width: c.width,
    ...(c.format && c.format !== 'text' ? { style: { numFmt: FORMAT[c.format] } } : {}),
  }));
  const header = ws.getRow(1);
  header.height = 22;
  header.eachCell((cell) => {
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF0B2545' } } };
  });
  for (const r of t.rows) ws.addRow(r);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  const statusCol = t.columns.findIndex((c) => c.header === '状态') + 1;
  if (t.statuses && statusCol > 0) {
    t.statuses.forEach((s, i) => {
      const cell = ws.getCell(i + 2, statusCol);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: STATUS_FILL[s] ?? 'FFFFFFFF' } };
      cell.font = { bold: true, color: { argb: STATUS_FONT[s] ?? 'FF000000' } };
    });
  }
  // Long Chinese text wraps instead of running into the next column.
  t.columns.forEach((c, i) => {
    if (c.width >= 22) ws.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
  });
}

export async function buildWorkbook(data: ExportData, meta: { title: string }): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  wb.title = meta.title;
  wb.created = new Date(0); // deterministic bytes for the same data
  wb.modified = new Date(0);
  for (const t of data.tables) addTable(wb, t);
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
