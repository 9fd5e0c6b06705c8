import { describe, expect, it } from 'vitest';
import { circularNumber, circularSpec } from './circular.js';
import { renderPdf } from './render.js';
import { extractPdfText } from './pdf-text.js';

describe('circular documents', () => {
  it('numbers circulars in the GB/T 9704 form', () => {
    expect(circularNumber('冀信', 2026, 3)).toBe('冀信通〔2026〕3号');
    expect(() => circularNumber('冀信', 2026, 0)).toThrow(RangeError);
  });

  it('lays out addressees, paragraphs, citations and the signature, and renders the same bytes twice', async () => {
    const spec = circularSpec({
      kind: 'criticism',
      title: '关于正定县代签双向责任书问题的通报',
      body: '经查，正定县在办理信访件过程中存在代替信访人签署文书的问题。\n\n请各地引以为戒，立即自查。',
      issuer: '河北省信访局',
      docNo: '冀信通〔2026〕1号',
      issuedDate: '2026-04-01',
      issuedAt: '2026-04-01T02:00:00.000Z',
      addressees: ['石家庄市', '正定县'],
      citations: [{ kind: 'case', label: 'XF2026-000001 建筑工地拖欠工资' }],
    });
    expect(spec.addressee).toBe('石家庄市、正定县：');
    expect(spec.blocks.filter((b) => b.type === 'paragraph')).toHaveLength(2);
    expect(spec.blocks.at(-1)).toEqual({ type: 'signature', issuer: '河北省信访局', date: '2026年4月1日' });
    const a = await renderPdf(spec, { compress: false });
    const b = await renderPdf(spec, { compress: false });
    expect(a.equals(b)).toBe(true);
    const text = extractPdfText(a).replace(/\n/g, '');
    expect(text).toContain('批评通报');
    expect(text).toContain('关于正定县代签双向责任书问题的通报');
    expect(text).toContain('冀信通〔2026〕1号');
  });
});
