// The ledger pipeline a user might write instead of Shequ: exceljs's
// streaming reader into better-sqlite3 (one transaction, one prepared
// insert), and the table back out with exceljs's streaming writer.
//   node pipeline.js import LEDGER.xlsx OUT.db
//   node pipeline.js export IN.db OUT.xlsx
'use strict';
const ExcelJS = require('exceljs');
const Database = require('better-sqlite3');

const cols = ['seq', 'name', 'sex', 'id_number', 'birth', 'ethnicity', 'phone', 'compound', 'building', 'unit', 'room',
  'relation', 'kind', 'tags', 'notes'];

function text(v) {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && v.richText) return v.richText.map((r) => r.text).join('');
  return String(v);
}

async function importLedger(xlsx, dbPath) {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE resident (${cols.map((c) => c + ' TEXT').join(', ')})`);
  const ins = db.prepare(`INSERT INTO resident VALUES (${cols.map(() => '?').join(', ')})`);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(xlsx, {
    sharedStrings: 'cache', worksheets: 'emit', entries: 'ignore', hyperlinks: 'ignore', styles: 'ignore',
  });
  let n = 0;
  db.exec('BEGIN');
  for await (const ws of reader) {
    let header = false;
    for await (const row of ws) {
      const v = row.values; // 1-based
      if (!header) {
        header = v.includes('姓名');
        continue;
      }
      const vals = [];
      for (let i = 1; i <= cols.length; i++) vals.push(text(v[i]));
      ins.run(vals);
      n++;
    }
  }
  db.exec('COMMIT');
  db.close();
  return n;
}

async function exportLedger(dbPath, xlsx) {
  const db = new Database(dbPath, { readonly: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('居民台账');
  ws.addRow(['序号', '姓名', '性别', '公民身份号码', '出生日期', '民族', '联系电话', '小区', '楼栋', '单元', '房号',
    '与户主关系', '人员类别', '标签', '备注']).commit();
  let n = 0;
  for (const r of db.prepare('SELECT * FROM resident').raw().iterate()) {
    ws.addRow(r).commit();
    n++;
  }
  await ws.commit();
  await wb.commit();
  db.close();
  return n;
}

(async () => {
  const [mode, from, to] = process.argv.slice(2);
  const start = process.hrtime.bigint();
  const n = mode === 'import' ? await importLedger(from, to) : await exportLedger(from, to);
  const ns = process.hrtime.bigint() - start;
  console.log(`ROWS ${n}`);
  console.log(`WALL ${ns}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
