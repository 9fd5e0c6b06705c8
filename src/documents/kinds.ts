/**
 * Official documents (文书): their kinds, titles, audiences and document numbers (发文字号).
 * Pure: no I/O; the service supplies units and counters.
 */

/** Every kind of document the platform issues. */
export const documentKinds = [
  'acceptance_notice',
  'rejection_notice',
  'assignment_letter',
  'forwarding_letter',
  'extension_notice',
  'reply_opinion',
  'review_opinion',
  're_review_opinion',
  'responsibility_letter',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

export interface KindInfo {
  /** Chinese title printed on the document. */
  title: string;
  /** The character of the document number that names the kind, e.g. 受 in 正信受〔2026〕12号. */
  numberChar: string;
  /** 'petitioner': addressed to the petitioner, public in the timeline; 'unit': internal (交办函 / 转送函). */
  audience: 'petitioner' | 'unit';
  /** True when the petitioner must sign it too (双向责任书). */
  petitionerSigns: boolean;
}

/** Title, number character and audience of each kind. */
export function kindInfo(kind: DocumentKind): KindInfo {
  switch (kind) {
    case 'acceptance_notice':
      return { title: '受理告知书', numberChar: '受', audience: 'petitioner', petitionerSigns: false };
    case 'rejection_notice':
      return { title: '不予受理告知书', numberChar: '不受', audience: 'petitioner', petitionerSigns: false };
    case 'assignment_letter':
      return { title: '交办函', numberChar: '交', audience: 'unit', petitionerSigns: false };
    case 'forwarding_letter':
      return { title: '转送函', numberChar: '转', audience: 'unit', petitionerSigns: false };
    case 'extension_notice':
      return { title: '延期告知书', numberChar: '延', audience: 'petitioner', petitionerSigns: false };
    case 'reply_opinion':
      return { title: '答复意见书', numberChar: '答', audience: 'petitioner', petitionerSigns: false };
    case 'review_opinion':
      return { title: '复查意见书', numberChar: '查', audience: 'petitioner', petitionerSigns: false };
    case 're_review_opinion':
      return { title: '复核意见书', numberChar: '核', audience: 'petitioner', petitionerSigns: false };
    case 'responsibility_letter':
      return { title: '双向责任书', numberChar: '责', audience: 'petitioner', petitionerSigns: true };
    default: {
      const never: never = kind;
      throw new Error(`unknown document kind ${String(never)}`);
    }
  }
}

/** True when `s` names a document kind. */
export function isDocumentKind(s: string): s is DocumentKind {
  return (documentKinds as readonly string[]).includes(s);
}

/** Province-level abbreviations (简称) used in document numbers, by the first two digits of the GB/T 2260 code. */
const provinceAbbreviations: Record<string, string> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑',
  '31': '沪', '32': '苏', '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫',
  '42': '鄂', '43': '湘', '44': '粤', '45': '桂', '46': '琼', '50': '渝', '51': '川', '52': '黔',
  '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新',
};

/** Short names of the functional departments (by the unit's department code) as they appear in document numbers. */
const departmentAbbreviations: Record<string, string> = {
  rs: '人社',
  zj: '住建',
  zr: '自然资源',
  ga: '公',
  jy: '教',
  wj: '卫健',
  sthj: '环',
  jt: '交运',
  jw: '纪',
  mz: '民',
  nync: '农',
  sj: '市监',
  sf: '司',
};

export interface NumberingUnit {
  kind: 'government' | 'bureau' | 'department' | 'mailbox';
  level: 'province' | 'city' | 'county';
  regionCode: string;
  deptCode: string | null;
  name: string;
}

/** The region part of an issuing unit's abbreviation: 冀 for the province, the first character of a city's or county's name (正定县 → 正). */
export function regionAbbreviation(level: NumberingUnit['level'], regionCode: string, regionName: string): string {
  if (level === 'province') return provinceAbbreviations[regionCode.slice(0, 2)] ?? regionName.charAt(0);
  const bare = regionName.replace(/(自治县|自治州|新区|矿区|市|县|区|旗)$/u, '');
  if (bare.endsWith('雄安')) return '雄安';
  return Array.from(bare)[0] ?? regionName;
}

/** Abbreviation of an issuing unit (机关代字), e.g. 正定县信访局 → 正信, 正定县住房和城乡建设局 → 正住建. */
export function unitAbbreviation(unit: NumberingUnit, regionName: string): string {
  const region = regionAbbreviation(unit.level, unit.regionCode, regionName);
  switch (unit.kind) {
    case 'bureau':
      return `${region}信`;
    case 'mailbox':
      return `${region}信箱`;
    case 'department': {
      const short = unit.deptCode ? departmentAbbreviations[unit.deptCode] : undefined;
      if (short) return `${region}${short}`;
      const rest = unit.name.startsWith(regionName) ? unit.name.slice(regionName.length) : unit.name;
      return `${region}${Array.from(rest).slice(0, 2).join('')}`;
    }
    case 'government':
      return `${region}政`;
    default: {
      const never: never = unit.kind;
      throw new Error(`unknown unit kind ${String(never)}`);
    }
  }
}

/** The document number (发文字号) in the GB/T 9704 form: 代字〔年份〕序号号, e.g. 正信受〔2026〕12号. */
export function formatDocumentNumber(abbreviation: string, kind: DocumentKind, year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`serial must be a positive integer, got ${serial}`);
  return `${abbreviation}${kindInfo(kind).numberChar}〔${year}〕${serial}号`;
}

/** Name of the counter that numbers one unit's documents of one kind in one year. */
export function documentCounterName(unitId: string, kind: DocumentKind, year: number): string {
  return `doc:${unitId}:${kind}:${year}`;
}

/** 'YYYY-MM-DD' → '2026年3月2日' (GB/T 9704-2012 writes dates in Arabic numerals without leading zeros). */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`date must be YYYY-MM-DD, got '${date}'`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}
