/**
 * 通报: the wording and number of a commendation or criticism circular, as a DocumentSpec the
 * same renderer draws as every other document. Pure and deterministic.
 */
import { chineseDate } from './kinds.js';
import type { Block, DocumentSpec } from './templates.js';

export type CircularKind = 'commendation' | 'criticism';

export const circularKindLabels: Record<CircularKind, string> = { commendation: '表扬通报', criticism: '批评通报' };

/** The number of a circular: 代字 + 通 + 〔年份〕 + 序号, e.g. 冀信通〔2026〕3号. */
export function circularNumber(abbreviation: string, year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`serial must be a positive integer, got ${serial}`);
  return `${abbreviation}通〔${year}〕${serial}号`;
}

export interface CircularFacts {
  kind: CircularKind;
  title: string;
  body: string;
  issuer: string;
  docNo: string;
  issuedDate: string;
  issuedAt: string;
  addressees: string[];
  citations: { kind: string; label: string }[];
}

const citationHeads: Record<string, string> = { case: '信访件', inspection: '督导检查', measure: '考核指标', typical: '典型案例' };

/** The circular as a document: addressees, the text by paragraph, the cited matters, issuer and date. */
export function circularSpec(f: CircularFacts): DocumentSpec {
  const blocks: Block[] = f.body
    .split(/\n+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((text) => ({ type: 'paragraph' as const, text, indent: true }));
  if (f.citations.length > 0) {
    blocks.push({ type: 'heading', text: f.kind === 'criticism' ? '附：通报所涉事项' : '附：表扬所涉事项' });
    blocks.push({ type: 'fields', rows: f.citations.map((c, i): [string, string] => [`${i + 1}. ${citationHeads[c.kind] ?? c.kind}`, c.label]) });
  }
  blocks.push({ type: 'signature', issuer: f.issuer, date: chineseDate(f.issuedDate) });
  return {
    issuer: f.issuer,
    title: f.title,
    docNo: f.docNo,
    issuedDate: f.issuedDate,
    createdAt: f.issuedAt,
    caseNo: f.docNo,
    footerLabel: circularKindLabels[f.kind],
    addressee: `${f.addressees.join('、')}：`,
    blocks,
  };
}
