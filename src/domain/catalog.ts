/** Reference lists shown to citizens and staff: categories, rejection reasons, guidance channels. */

export const categories = [
  { code: 'construction', name: '城乡建设' },
  { code: 'land', name: '农村土地征占' },
  { code: 'labour', name: '劳动和社会保障' },
  { code: 'discipline', name: '基层干部违纪' },
  { code: 'litigation', name: '涉法涉诉' },
  { code: 'environment', name: '环境保护' },
  { code: 'transport', name: '交通运输' },
  { code: 'education', name: '教育' },
  { code: 'health', name: '卫生健康' },
  { code: 'civil_affairs', name: '民政' },
  { code: 'enterprise', name: '企业改制' },
  { code: 'other', name: '其他' },
] as const;

/** 诉访分离: where matters outside the petition channel belong. */
export const guidanceChannels = [
  { code: 'litigation', name: '人民法院（诉讼）', text: '属于民事、行政诉讼范围的事项，请依法向人民法院提起诉讼。' },
  { code: 'arbitration', name: '仲裁机构', text: '劳动人事争议、合同纠纷等可以仲裁的事项，请向劳动人事争议仲裁委员会或仲裁委员会申请仲裁。' },
  { code: 'admin_review', name: '行政复议机关', text: '对行政机关的具体行政行为不服的，请依法向行政复议机关申请行政复议。' },
  { code: 'discipline', name: '纪检监察机关', text: '检举、控告党员干部和公职人员违纪违法的，请向纪检监察机关反映。' },
  { code: 'npc', name: '人民代表大会及其常委会', text: '对人大及其常委会、人大代表的意见建议，请向相应的人大常委会反映。' },
  { code: 'procuratorate', name: '人民检察院', text: '涉及检察监督、刑事申诉的事项，请向人民检察院反映。' },
  { code: 'police', name: '公安机关', text: '涉及治安、刑事案件的报案、控告，请向公安机关报案。' },
  { code: 'other_authority', name: '其他有权处理的机关', text: '请向依法有权处理该事项的机关反映。' },
] as const;

export const rejectReasons = [
  { code: 'litigation_scope', name: '属于诉讼、仲裁、行政复议等法定途径解决的事项' },
  { code: 'not_our_authority', name: '不属于本机关及所属部门职权范围' },
  { code: 'already_handled', name: '已经或依法应当通过其他法定途径处理，或已终结' },
  { code: 'no_clear_request', name: '没有明确的诉求或事实' },
  { code: 'repeat', name: '同一事项正在办理期限内（重复信访）' },
  { code: 'other', name: '其他' },
] as const;

export const acceptanceScope = {
  accepted: [
    '对各级行政机关及其工作人员、法律法规授权组织、提供公共服务的企业事业单位及其工作人员的职务行为反映情况，提出建议、意见或者投诉请求',
    '对党的建设、经济社会发展和民生方面的意见建议',
  ],
  notAccepted: [
    '应当通过诉讼、仲裁、行政复议等法定途径解决的事项（诉访分离）',
    '已经或者依法应当通过诉讼、仲裁、行政复议解决的事项',
    '检举、控告党员和公职人员违纪违法的，请向纪检监察机关反映',
    '已经终结、复核完毕的同一事项',
  ],
};

export const categoryCodes: ReadonlySet<string> = new Set(categories.map((c) => c.code));
export const guidanceCodes: ReadonlySet<string> = new Set(guidanceChannels.map((c) => c.code));
export const rejectReasonCodes: ReadonlySet<string> = new Set(rejectReasons.map((c) => c.code));

/** Chinese name of a catalogue entry, or the code itself when unknown. */
export function nameOf(list: readonly { code: string; name: string }[], code: string): string {
  return list.find((x) => x.code === code)?.name ?? code;
}
