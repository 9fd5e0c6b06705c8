import { describe, expect, it } from 'vitest';
import { caseSearchTokens, parseQuery, parsedQueriesKept } from './search-text.js';

describe('parseQuery', () => {
  it('cuts a query into the coarsest words, a long word also into its parts', () => {
    expect(parseQuery('拖欠工资')).toEqual([[[{ word: '拖欠工资', prefix: false }], [{ word: '拖欠', prefix: false }, { word: '工资', prefix: false }]]]);
    expect(parseQuery('楼道 照明')).toEqual([[[{ word: '楼道', prefix: false }]], [[{ word: '照明', prefix: false }]]]);
  });

  it('reads a lone character as a prefix, drops punctuation and repeated words', () => {
    expect(parseQuery('楼，楼！')).toEqual([[[{ word: '楼', prefix: true }]]]);
    expect(parseQuery('，。！')).toEqual([]);
  });

  it('reads only the first 100 characters and at most 10 words', () => {
    expect(parseQuery(`${'工资'.repeat(50)}补偿`)).toEqual(parseQuery('工资'.repeat(50)));
    expect(parseQuery('工资 补偿 拆迁 学校 医院 道路 供暖 物业 噪音 污染 养老 低保').length).toBe(10);
  });

  it('gives the same frozen answer for the same text, and keeps only the last queries', () => {
    const a = parseQuery('随迁子女 入学');
    expect(parseQuery('随迁子女 入学')).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a[0]) && Object.isFrozen(a[0]![0]) && Object.isFrozen(a[0]![0]![0])).toBe(true);
    for (let i = 0; i < parsedQueriesKept; i++) parseQuery(`第${i}件`);
    const again = parseQuery('随迁子女 入学');
    expect(again).not.toBe(a);
    expect(again).toEqual(a);
  });

  it('finds every query word among the words a case is indexed by', () => {
    const tokens = new Set(caseSearchTokens({ title: '拖欠农民工工资', content: '小区楼道照明损坏，多次反映无人处理。' }));
    for (const q of ['拖欠 工资', '农民工', '楼道照明']) {
      for (const group of parseQuery(q)) expect(group.some((alt) => alt.every((t) => tokens.has(t.word)))).toBe(true);
    }
  });
});
