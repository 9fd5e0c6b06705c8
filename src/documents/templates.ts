/**
 * The wording of each official document, built from the case's data into a layout-neutral
 * DocumentSpec that render.ts draws. Pure and deterministic: the same facts give the same document.
 */
import { chineseDate, kindInfo } from './kinds.js';

export type Block =
  | { type: 'paragraph'; text: string; indent?: boolean }
  | { type: 'heading'; text: string }
  | { type: 'fields'; rows: [string, string][] }
  | { type: 'highlight'; label: string; value: string }
  | { type: 'signature'; issuer: string; date: string }
  | { type: 'parties'; parties: { role: string; name: string; lines: string[] }[] };

/** Everything the renderer draws; nothing else reaches the PDF. */
export interface DocumentSpec {
  issuer: string;
  title: string;
  docNo: string | null;
  issuedDate: string;
  /** ISO timestamp written as the PDF's CreationDate (fixed, so rendering is reproducible). */
  createdAt: string;
  /** Case number, printed in the footer and the PDF's metadata (a circular prints its own number). */
  caseNo: string;
  /** What the footer calls caseNo; default 信访件编号. */
  footerLabel?: string;
  addressee: string | null;
  blocks: Block[];
  /** Smaller body text, so a long text with a signature block fits on one page. */
  compact?: boolean;
}

/** The case data a document may print. */
export interface CaseFacts {
  caseNo: string;
  title: string;
  content: string;
  channel: string;
  receivedDate: string;
  petitionerName: string;
  petitionerNameMasked: string;
  coPetitionerCount: number;
  categoryName: string;
  regionName: string;
}

export interface IssueMeta {
  issuer: string;
  docNo: string;
  issuedDate: string;
  issuedAt: string;
}

/** What each kind adds to the case data (taken from the action's event). */
export type KindDetails =
  | { kind: 'acceptance_notice'; dueReply: string | null; note: string | null }
  | { kind: 'rejection_notice'; reason: string; guidance: string; guidanceText: string; explanation: string | null }
  | { kind: 'assignment_letter' | 'forwarding_letter'; addressee: string; dueReturn: string | null; dueReply: string | null; instructions: string | null }
  | { kind: 'extension_notice'; days: number; reason: string; dueReply: string; handlingUnit: string }
  | { kind: 'reply_opinion'; text: string; reviewDays: number; dueReviewRequest: string | null }
  | { kind: 'review_opinion' | 're_review_opinion'; outcome: 'upheld' | 'changed'; text: string; nextDays: number; dueNext: string | null }
  | { kind: 'responsibility_letter'; handlingUnit: string; dueReply: string | null };

const channelLabels: Record<string, string> = {
  web: '网上信访',
  mailbox: '领导信箱',
  email: '电子邮件',
  api: '网上信访',
  letter: '来信',
  visit: '来访',
  call: '来电',
};

/** How the petitioner raised the matter, in words ('来信', '网上信访' …). */
export function channelLabel(channel: string): string {
  return channelLabels[channel] ?? channel;
}

const date = (d: string | null) => (d ? chineseDate(d) : '（待定）');

function petitionerAddressee(f: CaseFacts): string {
  return f.coPetitionerCount > 0 ? `${f.petitionerName}等${f.coPetitionerCount + 1}人：` : `${f.petitionerName}：`;
}

/** 你 or 你们 (joint cases). */
function you(f: CaseFacts): string {
  return f.coPetitionerCount > 0 ? '你们' : '你';
}

function matter(f: CaseFacts): string {
  return `${you(f)}于${chineseDate(f.receivedDate)}以${channelLabel(f.channel)}方式反映的“${f.title}”问题（信访件编号：${f.caseNo}）`;
}

function caseFields(f: CaseFacts, masked: boolean): Block {
  return {
    type: 'fields',
    rows: [
      ['信访件编号', f.caseNo],
      ['信访人', masked ? f.petitionerNameMasked + (f.coPetitionerCount > 0 ? `等${f.coPetitionerCount + 1}人（联名）` : '') : f.petitionerName],
      ['登记日期', chineseDate(f.receivedDate)],
      ['信访形式', channelLabel(f.channel)],
      ['问题类别', f.categoryName],
      ['问题发生地', f.regionName],
      ['事项标题', f.title],
    ],
  };
}

/** 附: the case's particulars after the signature. */
function annex(f: CaseFacts, masked: boolean): Block[] {
  return [{ type: 'heading', text: '附：信访事项基本情况' }, caseFields(f, masked)];
}

/** Splits free text into paragraphs, dropping empty lines. */
function paragraphs(text: string): Block[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => ({ type: 'paragraph' as const, text: s }));
}

/** The document of one kind for one case. */
export function documentSpec(f: CaseFacts, meta: IssueMeta, d: KindDetails): DocumentSpec {
  const base = {
    issuer: meta.issuer,
    title: kindInfo(d.kind).title,
    docNo: meta.docNo,
    issuedDate: meta.issuedDate,
    createdAt: meta.issuedAt,
    caseNo: f.caseNo,
  };
  const sign: Block = { type: 'signature', issuer: meta.issuer, date: chineseDate(meta.issuedDate) };
  switch (d.kind) {
    case 'acceptance_notice':
      return {
        ...base,
        addressee: petitionerAddressee(f),
        blocks: [
          {
            type: 'paragraph',
            text: `${matter(f)}，本机关已收悉。经审查，该事项属于信访事项受理范围，根据《信访工作条例》第二十二条、第二十三条的规定，本机关决定予以受理。`,
          },
          {
            type: 'paragraph',
            text: `本机关将依法办理或者交由有权处理的机关、单位办理，并于${date(d.dueReply)}前出具书面答复意见。办理过程中，${you(f)}可以登录网上信访平台或者凭查询码查询办理进展。`,
          },
          ...(d.note ? [{ type: 'paragraph' as const, text: `受理意见：${d.note}` }] : []),
          { type: 'paragraph', text: '特此告知。' },
          sign,
          ...annex(f, false),
        ],
      };
    case 'rejection_notice':
      return {
        ...base,
        addressee: petitionerAddressee(f),
        blocks: [
          { type: 'paragraph', text: `${matter(f)}，本机关已收悉。经审查，根据《信访工作条例》第二十二条、第二十三条的规定，本机关决定不予受理。理由：${d.reason}。` },
          { type: 'paragraph', text: `${d.guidanceText}` },
          { type: 'paragraph', text: `请向${d.guidance}反映或者依法提出。` },
          ...(d.explanation ? [{ type: 'paragraph' as const, text: `说明：${d.explanation}` }] : []),
          { type: 'paragraph', text: '特此告知。' },
          sign,
          ...annex(f, false),
        ],
      };
    case 'assignment_letter':
    case 'forwarding_letter': {
      const assign = d.kind === 'assignment_letter';
      return {
        ...base,
        addressee: `${d.addressee}：`,
        blocks: [
          {
            type: 'paragraph',
            text: assign
              ? `现将信访人${f.petitionerNameMasked}反映的“${f.title}”问题（信访件编号：${f.caseNo}）交由你单位办理。本件为交办件，本机关将跟踪督办直至办结。`
              : `现将信访人${f.petitionerNameMasked}反映的“${f.title}”问题（信访件编号：${f.caseNo}）转送你单位，请依法处理。`,
          },
          {
            type: 'paragraph',
            text: `请于${date(d.dueReturn)}前在网上信访平台签收；如认为不属于你单位职责范围，请在此期限内说明理由退回。请于${date(d.dueReply)}前办结，向信访人出具书面答复意见，并将办理结果报送本机关。`,
          },
          ...(d.instructions ? [{ type: 'paragraph' as const, text: `${assign ? '交办' : '转送'}意见：${d.instructions}` }] : []),
          sign,
          ...annex(f, true),
          { type: 'heading', text: '信访事项内容' },
          ...paragraphs(f.content),
        ],
      };
    }
    case 'extension_notice':
      return {
        ...base,
        addressee: petitionerAddressee(f),
        blocks: [
          { type: 'paragraph', text: `${matter(f)}，正在由${d.handlingUnit}办理。` },
          {
            type: 'paragraph',
            text: `因${d.reason.replace(/[。.]$/u, '')}，经${d.handlingUnit}负责人批准，根据《信访工作条例》第三十四条的规定，办理期限延长${d.days}日，至${chineseDate(d.dueReply)}。届时将向${you(f)}出具书面答复意见。`,
          },
          { type: 'paragraph', text: '特此告知。' },
          sign,
          ...annex(f, false),
        ],
      };
    case 'reply_opinion':
      return {
        ...base,
        addressee: petitionerAddressee(f),
        blocks: [
          { type: 'paragraph', text: `${matter(f)}，本机关已依法办理。经调查核实，现答复如下：` },
          ...paragraphs(d.text),
          {
            type: 'paragraph',
            text: `${you(f)}如对本答复意见不服，可以自收到本答复意见书之日起${d.reviewDays}日内（按本意见书出具之日计算，至${date(d.dueReviewRequest)}）向本机关的上一级行政机关请求复查（《信访工作条例》第三十五条）。`,
          },
          sign,
          ...annex(f, false),
        ],
      };
    case 'review_opinion':
    case 're_review_opinion': {
      const review = d.kind === 'review_opinion';
      const outcome = d.outcome === 'changed' ? '变更原处理意见' : '维持原处理意见';
      return {
        ...base,
        addressee: petitionerAddressee(f),
        blocks: [
          {
            type: 'paragraph',
            text: `${you(f)}对“${f.title}”问题（信访件编号：${f.caseNo}）的${review ? '答复意见' : '复查意见'}不服，请求${review ? '复查' : '复核'}。本机关经审查，决定${outcome}，${review ? '复查' : '复核'}意见如下：`,
          },
          ...paragraphs(d.text),
          review
            ? {
                type: 'paragraph',
                text: `${you(f)}如对本复查意见不服，可以自收到本意见书之日起${d.nextDays}日内（按本意见书出具之日计算，至${date(d.dueNext)}）向复查机关的上一级行政机关请求复核（《信访工作条例》第三十六条）。`,
              }
            : {
                type: 'paragraph',
                text: `本复核意见为最终意见。根据《信访工作条例》第三十六条的规定，${you(f)}对本复核意见不服，仍以同一事实和理由提出信访事项的，各级机关不再受理。`,
              },
          sign,
          ...annex(f, false),
        ],
      };
    }
    case 'responsibility_letter':
      return {
        ...base,
        addressee: null,
        compact: true,
        blocks: [
          {
            type: 'paragraph',
            text: `为依法、及时、就地解决信访人反映的“${f.title}”问题（信访件编号：${f.caseNo}），明确双方责任，根据《信访工作条例》，承办单位（甲方）与信访人（乙方）订立本责任书。`,
          },
          { type: 'heading', text: '甲方（承办单位）承诺' },
          { type: 'paragraph', text: `一、依法、公正、及时办理本信访事项，于${date(d.dueReply)}前向乙方出具书面答复意见；需要延期的，依法报批并告知乙方。` },
          { type: 'paragraph', text: '二、如实告知办理进展，接受乙方通过网上信访平台查询、评价和监督。' },
          { type: 'paragraph', text: '三、保护乙方的个人信息和隐私，不将检举、揭发、控告材料及有关情况透露或者转给被检举、揭发、控告的人员和单位。' },
          { type: 'heading', text: '乙方（信访人）承诺' },
          { type: 'paragraph', text: '一、客观真实反映情况，不捏造、歪曲事实，不诬告、陷害他人，对所提供材料的真实性负责。' },
          { type: 'paragraph', text: '二、依法逐级、按规定渠道反映诉求，配合承办单位调查核实，不采取过激行为，不扰乱公共秩序。' },
          { type: 'paragraph', text: '三、在办理期限内不就同一事项重复信访；对答复意见不服的，依法请求复查、复核。' },
          {
            type: 'paragraph',
            text: '本责任书一式两份，自甲方签发、乙方签署之日起生效。甲方以制发本责任书为签署；乙方须本人登录网上信访平台确认签署，他人不得代签，签署记录与本文书的 SHA-256 摘要一并存档备查。',
          },
          {
            type: 'parties',
            parties: [
              { role: '甲方（承办单位）', name: d.handlingUnit, lines: [`签发日期：${chineseDate(meta.issuedDate)}`] },
              { role: '乙方（信访人）', name: f.petitionerName + (f.coPetitionerCount > 0 ? `等${f.coPetitionerCount + 1}人（代表）` : ''), lines: ['签署：由信访人本人在网上信访平台确认', '签署日期：以平台记录为准'] },
            ],
          },
        ],
      };
    default: {
      const never: never = d;
      throw new Error(`unknown document ${JSON.stringify(never)}`);
    }
  }
}

export interface ReceiptMeta {
  issuer: string;
  issuedDate: string;
  issuedAt: string;
  queryCode: string;
  dueAccept: string | null;
  /** Where the petitioner looks the case up with the code (the portal's 查询信访件 page). */
  trackUrl: string;
}

/** 登记回执: handed or mailed to a petitioner whose letter, visit or call staff registered; carries the query code. */
export function receiptSpec(f: CaseFacts, meta: ReceiptMeta): DocumentSpec {
  return {
    issuer: meta.issuer,
    title: '信访事项登记回执',
    docNo: null,
    issuedDate: meta.issuedDate,
    createdAt: meta.issuedAt,
    caseNo: f.caseNo,
    addressee: petitionerAddressee(f),
    blocks: [
      { type: 'paragraph', text: `${matter(f)}，本机关已登记。` },
      { type: 'highlight', label: '查询码', value: meta.queryCode },
      {
        type: 'paragraph',
        text: `请妥善保管查询码，不要告诉他人。凭查询码可以在网上信访平台查询办理进展（无需登录）。本机关将于${date(meta.dueAccept)}前告知是否受理。`,
      },
      { type: 'fields', rows: [['查询网址', meta.trackUrl]] },
      { type: 'signature', issuer: meta.issuer, date: chineseDate(meta.issuedDate) },
      ...annex(f, false),
    ],
  };
}

/** Every text of a spec in reading order (for tests and for checking what a document says). */
export function specText(spec: DocumentSpec): string {
  const out: string[] = [spec.issuer, spec.docNo ?? '', spec.title, spec.addressee ?? ''];
  for (const b of spec.blocks) {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        out.push(b.text);
        break;
      case 'fields':
        for (const [k, v] of b.rows) out.push(`${k}：${v}`);
        break;
      case 'highlight':
        out.push(`${b.label}：${b.value}`);
        break;
      case 'signature':
        out.push(b.issuer, b.date);
        break;
      case 'parties':
        for (const p of b.parties) out.push(p.role, p.name, ...p.lines);
        break;
      default: {
        const never: never = b;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  }
  return out.filter((s) => s !== '').join('\n');
}
