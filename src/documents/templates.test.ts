import { describe, expect, it } from 'vitest';
import { documentSpec, specText, type CaseFacts, type IssueMeta } from './templates.js';

const facts: CaseFacts = {
  caseNo: 'XF2026-000001',
  title: '小区楼道照明损坏',
  content: '楼道照明坏了半年。',
  channel: 'letter',
  receivedDate: '2026-03-02',
  petitionerName: '张建国',
  petitionerNameMasked: '张*国',
  coPetitionerCount: 0,
  categoryName: '城乡建设',
  regionName: '正定县',
};
const meta: IssueMeta = { issuer: '正定县住房和城乡建设局', docNo: '正住建答〔2026〕1号', issuedDate: '2026-03-10', issuedAt: '2026-03-10T02:00:00Z' };

describe('document wording', () => {
  it('the 答复意见书 states the 30-day review right and its end date', () => {
    const t = specText(documentSpec(facts, meta, { kind: 'reply_opinion', text: '已维修。', reviewDays: 30, dueReviewRequest: '2026-04-09' }));
    expect(t).toContain('30日内');
    expect(t).toContain('2026年4月9日');
    expect(t).toContain('请求复查');
    expect(t).toContain('张建国：');
    expect(t).toContain('以来信方式');
  });

  it('the 不予受理告知书 names the reason and the guidance channel', () => {
    const t = specText(
      documentSpec(facts, meta, { kind: 'rejection_notice', reason: '属于诉讼、仲裁、行政复议等法定途径解决的事项', guidance: '仲裁机构', guidanceText: '请申请仲裁。', explanation: null }),
    );
    expect(t).toContain('理由：属于诉讼、仲裁、行政复议等法定途径解决的事项');
    expect(t).toContain('请向仲裁机构反映');
  });

  it('a 交办函 goes to the unit and shows the petitioner masked', () => {
    const t = specText(documentSpec(facts, meta, { kind: 'assignment_letter', addressee: '正定县住房和城乡建设局', dueReturn: '2026-03-17', dueReply: '2026-05-01', instructions: null }));
    expect(t).toContain('正定县住房和城乡建设局：');
    expect(t).toContain('张*国');
    expect(t).not.toContain('张建国');
    expect(t).toContain('楼道照明坏了半年。');
  });

  it('joint cases are addressed to the group; the 复核意见书 is final', () => {
    const t = specText(documentSpec({ ...facts, coPetitionerCount: 2 }, meta, { kind: 're_review_opinion', outcome: 'upheld', text: '维持。', nextDays: 30, dueNext: null }));
    expect(t).toContain('张建国等3人：');
    expect(t).toContain('你们');
    expect(t).toContain('不再受理');
  });

  it('the 双向责任书 names both parties and says only the petitioner can sign', () => {
    const t = specText(documentSpec(facts, meta, { kind: 'responsibility_letter', handlingUnit: '正定县住房和城乡建设局', dueReply: '2026-05-01' }));
    expect(t).toContain('甲方（承办单位）');
    expect(t).toContain('乙方（信访人）');
    expect(t).toContain('他人不得代签');
  });
});
