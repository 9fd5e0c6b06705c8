/** Notification texts (Chinese) for every outbox template; one place, so SMS, e-mail and in-app say the same. */

export interface Rendered {
  subject: string;
  text: string;
}

type Payload = Record<string, unknown>;

function s(p: Payload, k: string): string {
  const v = p[k];
  return v === undefined || v === null ? '' : String(v);
}

const SIGN = '【河北省网上信访】';

/** Renders a template; an unknown template still yields a neutral text so nothing is dropped. */
export function renderNotification(template: string, p: Payload, publicUrl: string): Rendered {
  const no = s(p, 'caseNo');
  const track = p.queryCode ? `${publicUrl}/track/${s(p, 'queryCode')}` : `${publicUrl}/track`;
  switch (template) {
    case 'case_submitted':
      return {
        subject: `信访件已登记（${no}）`,
        text: `${SIGN}您的信访件已登记，编号 ${no}，查询码 ${s(p, 'queryCode')}，请妥善保管。受理机关将于 ${s(p, 'dueAccept')} 前告知是否受理。查询办理进度：${track}`,
      };
    case 'case_accepted':
      return { subject: `信访件已受理（${no}）`, text: `${SIGN}您的信访件 ${no} 已受理，将于 ${s(p, 'dueReply')} 前办理答复。` };
    case 'case_rejected':
      return { subject: `信访件不予受理告知（${no}）`, text: `${SIGN}您的信访件 ${no} 不予受理，请通过${s(p, 'guidance')}途径反映，详见告知书。` };
    case 'case_forwarded':
      return { subject: `信访件已交办（${no}）`, text: `${SIGN}您的信访件 ${no} 已交由 ${s(p, 'unitName')} 办理。` };
    case 'case_extended':
      return { subject: `办理期限延长（${no}）`, text: `${SIGN}您的信访件 ${no} 办理期限延长至 ${s(p, 'dueReply')}，理由：${s(p, 'reason')}。` };
    case 'case_replied':
      return {
        subject: `信访件已答复（${no}）`,
        text: `${SIGN}您的信访件 ${no} 已作出答复。请登录或凭查询码确认收到并评价：${track} 。如不服，可于 ${s(p, 'dueReviewRequest')} 前申请复查。`,
      };
    case 'review_decided':
      return { subject: `${Number(p.level) >= 2 ? '复核' : '复查'}意见（${no}）`, text: `${SIGN}您的信访件 ${no} 的${Number(p.level) >= 2 ? '复核' : '复查'}意见已作出，请查看：${track}` };
    case 'unit_assigned':
      return { subject: `新交办件（${no}）`, text: `贵单位收到新的信访件 ${no}「${s(p, 'title')}」，请于 ${s(p, 'dueReply')} 前办理答复。` };
    case 'unit_urged':
      return { subject: `催办通知（${no}）`, text: `信访件 ${no}「${s(p, 'title')}」的${s(p, 'clockLabel')}期限为 ${s(p, 'due')}，即将到期，请抓紧办理。` };
    case 'unit_supervised':
      return { subject: `督办通知（${no}）`, text: `信访件 ${no}「${s(p, 'title')}」${s(p, 'clockLabel')}期限 ${s(p, 'due')} 已超期，${s(p, 'unitName')}应立即办理并报告。本件已列入督办。` };
    case 'supervision_opened':
      return {
        subject: `督办通知（${no}）`,
        text: `${s(p, 'byUnitName')}对信访件 ${no}「${s(p, 'title')}」${Number(p.count) > 1 ? `等 ${s(p, 'count')} 件` : ''}督办，请于 ${s(p, 'dueDate')} 前书面报告办理情况（督办页面）。`,
      };
    case 'supervision_answered':
      return { subject: `督办件已报告（${no}）`, text: `${s(p, 'unitName')}已就信访件 ${no}「${s(p, 'title')}」的督办事项书面报告，请审核办结或提级督办。` };
    case 'supervision_returned':
      return { subject: `督办报告被退回重办（${no}）`, text: `${s(p, 'byUnitName')}认为贵单位就信访件 ${no}「${s(p, 'title')}」的督办报告不充分，退回重办：${s(p, 'reason')}。请于 ${s(p, 'dueDate')} 前重新书面报告（督办页面）。` };
    case 'supervision_reminded':
      return Number(p.round) >= 2
        ? {
            subject: `督办件逾期再次催报（${no}）`,
            text: `信访件 ${no}「${s(p, 'title')}」的督办报告期限 ${s(p, 'dueDate')} 已过 ${s(p, 'days')} 个工作日，${s(p, 'unitName')}仍未书面报告，请立即报告；已同时告知督办单位${s(p, 'byUnitName')}，可能提级督办。`,
          }
        : { subject: `督办件逾期催报（${no}）`, text: `信访件 ${no}「${s(p, 'title')}」的督办报告期限 ${s(p, 'dueDate')} 已过，${s(p, 'unitName')}尚未书面报告，请立即报告（督办页面）。` };
    case 'supervision_overdue_supervisor':
      return {
        subject: `督办件逾期未报告（${no}）`,
        text: `${s(p, 'unitName')}对信访件 ${no}「${s(p, 'title')}」的督办报告期限 ${s(p, 'dueDate')} 已过 ${s(p, 'days')} 个工作日仍未报告，已再次催报，请跟进或提级督办。`,
      };
    case 'supervision_closed':
      return { subject: `督办件已办结（${no}）`, text: `${s(p, 'byUnitName')}已审核贵单位的报告，信访件 ${no}「${s(p, 'title')}」的督办事项办结。` };
    case 'supervision_escalated_in':
      return { subject: `提级督办（${no}）`, text: `${s(p, 'byUnitName')}将对${s(p, 'unitName')}的督办（信访件 ${no}「${s(p, 'title')}」）提请本局督办，请跟进。` };
    case 'supervision_disputed':
      return { subject: `信访人报告“这不是我签的”（${no}）`, text: `信访人报告信访件 ${no}「${s(p, 'title')}」的《${s(p, 'docTitle')}》不是本人所签，已列入本局督办，请核查。` };
    case 'inspection_concluded':
      return { subject: `督导检查意见（${s(p, 'inspectedOn')}）`, text: `${s(p, 'byUnitName')}对贵单位的督导检查已形成意见：抽查 ${s(p, 'cases')} 件，发现问题 ${s(p, 'problems')} 件，整改要求 ${s(p, 'corrections')} 项，请按期整改并报告（督导检查页面）。` };
    case 'correction_reported':
      return { subject: '整改情况已报告', text: `${s(p, 'unitName')}已报告整改情况：「${s(p, 'requirement')}」，请验收。` };
    case 'correction_decided':
      return { subject: p.accepted ? '整改已验收' : '整改未通过验收', text: p.accepted ? `整改要求「${s(p, 'requirement')}」已通过验收。` : `整改要求「${s(p, 'requirement')}」未通过验收，请于 ${s(p, 'dueDate')} 前重新整改并报告：${s(p, 'note')}` };
    case 'circular_issued':
      return { subject: `${s(p, 'kindLabel')}（${s(p, 'docNo')}）`, text: `${s(p, 'issuerName')}印发${s(p, 'kindLabel')}《${s(p, 'title')}》（${s(p, 'docNo')}），贵单位为主送单位，请在“通报”中查阅并签收。` };
    case 'typical_published':
      return { subject: `典型案例发布（${no}）`, text: `信访件 ${no} 已作为${s(p, 'kindLabel')}发布：「${s(p, 'title')}」，请在“典型案例”中查阅。` };
    case 'hotspot_formed':
      return { subject: `热点提示：${s(p, 'regionName')}出现相似事项聚集`, text: `${s(p, 'regionName')}近期有 ${s(p, 'petitioners')} 名信访人反映相似事项（${s(p, 'cases')} 件，关键词：${s(p, 'words')}），最新一件 ${no}「${s(p, 'title')}」，可能为群体性苗头，请关注并研判。` };
    case 'hotspot_grew':
      return { subject: `热点提示：${s(p, 'regionName')}相似事项聚集扩大`, text: `${s(p, 'regionName')}的相似事项聚集已增至 ${s(p, 'petitioners')} 名信访人（${s(p, 'cases')} 件，关键词：${s(p, 'words')}），最新一件 ${no}「${s(p, 'title')}」，请及时研判处置。` };
    case 'otp':
      return { subject: '验证码', text: `${SIGN}验证码 ${s(p, 'code')}，${s(p, 'minutes')} 分钟内有效，仅用于信访件 ${no} 的本人确认。请勿告诉任何人，工作人员不会向您索要。` };
    case 'mail_refused':
      return {
        subject: `来信未能登记：${s(p, 'subject')}`.slice(0, 120),
        text: `您好！您发送至本局的邮件未能登记为信访件，原因：${s(p, 'reason')}。请补充后重新发送，或登录 ${publicUrl} 在线提交。来信已存档备查。`,
      };
    default:
      return { subject: '信访通知', text: `${SIGN}您有一条关于信访件 ${no} 的新通知，请登录查看。` };
  }
}
