// Parser throughput: messages/s on one core over a mixed corpus of typical report messages (median of
// several runs), and the same inputs through @microsoft/recognizers-text-number (Chinese culture),
// which only finds numbers, for scale. `npx tsx bench/parser.ts [--json] [--tiny]`.
import { Culture, recognizeNumber } from '@microsoft/recognizers-text-number';
import { shippedCatalog } from '../seeds/catalogs.js';
import { MAX_REPORT_CHARS, parseReport } from '../src/parser/parseReport.js';
import { median, type Figure } from './figure.js';

const CORPUS: Array<[string, string]> = [
  ['截至7月底，全市新开工改造城镇老旧小区1203个，改造面积2790万平方米。', '市住房城乡建委'],
  ['本周老旧小区新开工18个', '市住房城乡建委'],
  ['沙坪坝区累计新开工改造老旧小区47个、面积108万平方米', '沙坪坝区'],
  ['山城绿道完成31个项目，建成绿道79.6公里', '市城市管理局'],
  ['街头绿地提质项目已完成四十五个，面积四十二万平方米', '市城市管理局'],
  ['口袋公园建成92个；适老化适儿化更新改造公园88个', '市城市管理局'],
  ['错时共享停车泊位累计新增2.6万个', '市城市管理局'],
  ['安装化粪池安全监测系统705台，整治窨井盖15800个', '市城市管理局'],
  ['农村公路安防工程完成率80%，已完成3200公里', '市交通运输委'],
  ['截至10月底新增托位9800个，普惠托位占比38%', '市卫生健康委'],
  ['课后服务参与教师19.8万人，参与学生294万人', '市教委'],
  ['无障碍改造累计完成1,912户（目标2000户）', '市残联'],
  ['窨井盖专项整治：累计完成１９６００个', '市城市管理局'],
  ['截至5月底，山城绿道建成约38公里，另有12公里在建', '市城市管理局'],
  ['心理健康测评已面向全市中小学和中职学生开展完毕', '市教委'],
  ['收到，我们汇总后报送', '市民政局'],
  ['完成了15个', '市城市管理局'],
  ['口袋公园：渝中区12个、江北区8个，全市累计92个', '市城市管理局'],
  ['1-1：1402，1-2：4011', '市住房城乡建委'],
  ['本周新增托位三百二十个', '市卫生健康委'],
];

function rate(n: number, run: (k: number) => void): number {
  const t0 = performance.now();
  for (let k = 0; k < n; k++) run(k);
  const ms = performance.now() - t0;
  return (n / ms) * 1000;
}

export function runParserBench(opts: { size?: 'tiny' | 'full' } = {}): { figures: Figure[]; longMessageMs: number } {
  const tiny = opts.size === 'tiny';
  const catalog = shippedCatalog(2024);
  const ours = (k: number): void => {
    const [text, org] = CORPUS[k % CORPUS.length]!;
    parseReport(text, { catalog, senderOrg: org, date: '2024-10-31' });
  };
  const theirs = (k: number): void => {
    recognizeNumber(CORPUS[k % CORPUS.length]![0], Culture.Chinese);
  };
  const runs = tiny ? 3 : 7;
  rate(tiny ? 50 : 5000, ours); // warm-up
  rate(tiny ? 5 : 200, theirs);
  const oursRates: number[] = [];
  const theirRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    oursRates.push(rate(tiny ? 200 : 40000, ours));
    theirRates.push(rate(tiny ? 20 : 2000, theirs));
  }
  const o = median(oursRates);
  const th = median(theirRates);
  // The longest message the parser reads (longer ones are refused unread).
  const long = CORPUS.map(([t]) => t)
    .join('。')
    .repeat(20)
    .slice(0, MAX_REPORT_CHARS);
  const longTimes: number[] = [];
  for (let r = 0; r < (tiny ? 1 : 5); r++) {
    const t0 = performance.now();
    parseReport(long, { catalog, senderOrg: '市城市管理局', date: '2024-10-31' });
    longTimes.push(performance.now() - t0);
  }
  return {
    figures: [
      { name: 'parser.msgs_per_s', value: Math.round(o), unit: 'msg/s' },
      { name: 'parser.vs_recognizers', value: Number((o / th).toFixed(1)), unit: 'x' },
    ],
    longMessageMs: Number(median(longTimes).toFixed(2)),
  };
}

const isMain =
  typeof process !== 'undefined' &&
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const json = process.argv.includes('--json');
  const res = runParserBench({ size: process.argv.includes('--tiny') ? 'tiny' : 'full' });
  if (json) for (const f of res.figures) process.stdout.write(`${JSON.stringify(f)}\n`);
  else {
    const [ours, ratio] = res.figures;
    process.stdout.write(
      [
        'parser benchmark (one core, median of runs, mixed corpus of typical messages)',
        `  parseReport                       ${ours!.value.toLocaleString('en')} msg/s`,
        `  recognizers-text-number (zh)      ${Math.round(ours!.value / ratio!.value).toLocaleString('en')} msg/s (numbers only)`,
        `  ratio ours/theirs                 ${ratio!.value}x`,
        `  one ${MAX_REPORT_CHARS.toLocaleString('en')}-character message       ${res.longMessageMs} ms`,
        '',
      ].join('\n'),
    );
  }
}
