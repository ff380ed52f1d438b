import { describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { parseCsv, validateContactsCsv } from '../../src/cli/contactsCommand.js';

const catalog = shippedCatalog(2024);

describe('contacts import CSV', () => {
  it('reads quoted fields', () => {
    expect(parseCsv('\uFEFFa,"b, c","d ""e"""\r\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });

  it('resolves short names and roles', () => {
    const r = validateContactsCsv(
      'open_id,name,org,role\nou_a1,张三,住建委,contact\nou_a3,王五,渝中,\nou_adm,管理,,admin\n',
      catalog,
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { openId: 'ou_a1', name: '张三', org: '市住房城乡建委', role: 'contact' },
      { openId: 'ou_a3', name: '王五', org: '渝中区', role: 'contact' },
      { openId: 'ou_adm', name: '管理', org: null, role: 'admin' },
    ]);
  });

  it('lists every bad row with its line number', () => {
    const r = validateContactsCsv(
      'open_id,name,org,role\nou_a1,张三,住建委,contact\nou_a2,李四,不存在委,contact\nbad,王五,渝中区,boss\nou_a1,赵,渝中,contact\nou_a4,孙,,contact\n',
      catalog,
    );
    expect(r.errors).toEqual([
      '第 3 行：没有找到单位『不存在委』',
      '第 4 行：open_id「bad」不是 ou_ 开头的 open_id；role「boss」应为 contact 或 admin',
      '第 5 行：open_id ou_a1 与第 2 行重复',
      '第 6 行：联系人必须填写单位（org）',
    ]);
  });

  it('refuses a file without the columns', () => {
    expect(validateContactsCsv('id,name\nou_a,b\n', catalog).errors[0]).toContain('缺少列 open_id');
  });
});
