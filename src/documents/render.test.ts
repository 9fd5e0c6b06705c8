import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { missingGlyphs, renderPdf } from './render.js';
import { extractPdfText } from './pdf-text.js';
import { documentSpec, receiptSpec, specText, type CaseFacts, type IssueMeta, type KindDetails } from './templates.js';
import { documentKinds } from './kinds.js';

const facts: CaseFacts = {
  caseNo: 'XF2026-000123',
  title: '建筑工地拖欠工资',
  content: '本人在工地务工三个月，工资一万元至今未付。\n多次讨要无果，请求处理。',
  channel: 'visit',
  receivedDate: '2026-03-02',
  petitionerName: '王小明',
  petitionerNameMasked: '王*明',
  coPetitionerCount: 0,
  categoryName: '劳动和社会保障',
  regionName: '正定县',
};
const meta: IssueMeta = { issuer: '正定县信访局', docNo: '正信受〔2026〕12号', issuedDate: '2026-03-02', issuedAt: '2026-03-02T02:00:00.000Z' };

const details: Record<(typeof documentKinds)[number], KindDetails> = {
  acceptance_notice: { kind: 'acceptance_notice', dueReply: '2026-05-01', note: null },
  rejection_notice: { kind: 'rejection_notice', reason: '属于诉讼、仲裁、行政复议等法定途径解决的事项', guidance: '人民法院（诉讼）', guidanceText: '请依法向人民法院提起诉讼。', explanation: null },
  assignment_letter: { kind: 'assignment_letter', addressee: '正定县住房和城乡建设局', dueReturn: '2026-03-09', dueReply: '2026-05-01', instructions: '请依法核查。' },
  forwarding_letter: { kind: 'forwarding_letter', addressee: '正定县住房和城乡建设局', dueReturn: '2026-03-09', dueReply: '2026-05-01', instructions: null },
  extension_notice: { kind: 'extension_notice', days: 20, reason: '需要多个部门联合调查', dueReply: '2026-05-21', handlingUnit: '正定县住房和城乡建设局' },
  reply_opinion: { kind: 'reply_opinion', text: '经核查，已责令用工单位足额支付工资。', reviewDays: 30, dueReviewRequest: '2026-04-01' },
  review_opinion: { kind: 'review_opinion', outcome: 'upheld', text: '经复查，原答复意见事实清楚。', nextDays: 30, dueNext: '2026-05-01' },
  re_review_opinion: { kind: 're_review_opinion', outcome: 'changed', text: '经复核，变更原处理意见。', nextDays: 30, dueNext: null },
  responsibility_letter: { kind: 'responsibility_letter', handlingUnit: '正定县住房和城乡建设局', dueReply: '2026-05-01' },
};

describe('rendering official documents as PDF', () => {
  it.each(documentKinds)('%s: a PDF whose text has the issuer, number, title and case number, reproducibly', async (kind) => {
    const spec = documentSpec(facts, meta, details[kind]);
    const pdf = await renderPdf(spec);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = extractPdfText(pdf).replace(/\n/g, '');
    for (const s of [meta.issuer, meta.docNo, spec.title, facts.caseNo]) expect(text).toContain(s);
    // Same spec, same bytes: the hash of a document can be checked by rendering it again.
    const again = await renderPdf(spec);
    expect(crypto.createHash('sha256').update(again).digest('hex')).toBe(crypto.createHash('sha256').update(pdf).digest('hex'));
    expect(missingGlyphs(specText(spec))).toEqual([]);
  });

  it('the receipt carries the query code; without compression the content is plain', async () => {
    const spec = receiptSpec(facts, { issuer: '正定县信访局', issuedDate: '2026-03-02', issuedAt: '2026-03-02T02:00:00Z', queryCode: 'K7QM-2D9F-X4TB-8HRC', dueAccept: '2026-03-04', trackUrl: 'https://xf.example.gov.cn/track' });
    const pdf = await renderPdf(spec, { compress: false });
    expect(pdf.toString('latin1')).not.toContain('/FlateDecode');
    expect(extractPdfText(pdf)).toContain('K7QM-2D9F-X4TB-8HRC');
    expect(extractPdfText(pdf)).toContain('https://xf.example.gov.cn/track');
    expect(extractPdfText(pdf)).toContain('信访事项登记回执');
  });

  it('a long answer flows onto further pages, each with its footer', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `第${i + 1}段：经调查核实，相关单位已按要求整改到位，并将持续跟踪落实。`).join('\n');
    const pdf = await renderPdf(documentSpec(facts, meta, { kind: 'reply_opinion', text: long, reviewDays: 30, dueReviewRequest: '2026-04-01' }));
    const text = extractPdfText(pdf);
    expect(text).toContain('第40段');
    expect(text).toMatch(/第 1 页 共 (\d) 页/);
    expect(Number(/共 (\d) 页/.exec(text)![1])).toBeGreaterThan(1);
  });

  it('reports characters the font cannot draw', () => {
    expect(missingGlyphs('王小明喆堃')).toEqual([]);
    expect(missingGlyphs('𠮷')).toEqual(['𠮷']);
  });
});
