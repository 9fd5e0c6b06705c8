/**
 * A labelled set for the repeat detector (重复信访): ten matters, each with a hand-written
 * paraphrase, and generated variants (sentences reordered; a sentence added); and, for each,
 * a different matter on a related topic (same category and vocabulary, other facts) as a
 * non-duplicate. Pairs: every matter against each of its variants (same) and against its
 * related matter and every other matter (not the same).
 */

interface Matter {
  title: string;
  content: string;
  paraphrase: { title: string; content: string };
  related: { title: string; content: string };
  added: string;
}

const matters: Matter[] = [
  {
    title: '建筑工地拖欠农民工工资',
    content: '我在正定县恒通建筑公司承建的翠园小区工地干木工活三个月。包工头王某至今拖欠我工资一万二千元。多次讨要都推说开发商没拨款。请求责令恒通建筑公司支付欠薪。',
    paraphrase: { title: '恒通建筑公司欠我木工工资', content: '本人去年在翠园小区工地给恒通建筑公司做木工，干了三个月，工钱一万二千元一直没结。包工头王某说开发商没给钱。希望督促恒通建筑公司把欠薪发给我。' },
    related: { title: '餐馆拖欠服务员工资', content: '我在县城福满楼餐馆当服务员半年，老板以生意不好为由拖欠两个月工资共六千元，还不给签劳动合同。请求劳动监察部门处理。' },
    added: '家里老人看病急需用钱。',
  },
  {
    title: '小区旁烧烤店油烟扰民',
    content: '常山路幸福家园小区南门的老张烧烤店每天营业到凌晨两点。油烟直接排进三号楼住户窗户。噪音让老人孩子无法休息。请环保部门督促安装油烟净化设备并限制营业时间。',
    paraphrase: { title: '幸福家园南门烧烤油烟噪音', content: '幸福家园三号楼的住户被南门老张烧烤店的油烟熏得不敢开窗，店里一直吵到夜里两点，老人孩子都睡不好。请环保部门让烧烤店装油烟净化器，晚上早点关门。' },
    related: { title: '化工厂夜间排放刺鼻气体', content: '县城东郊的宏达化工厂经常在夜间偷排废气，气味刺鼻，周边村民头晕恶心。请环保部门查处偷排行为并公开监测数据。' },
    added: '我们已经向社区反映过两次。',
  },
  {
    title: '村集体土地征收补偿款未发放',
    content: '2024年镇政府征收我们南楼村集体耕地八十亩用于修建物流园。每亩补偿标准公示为五万元。但村委会至今只发放了一半补偿款。剩余款项去向不明，请求公开账目并发放。',
    paraphrase: { title: '南楼村征地补偿只发了一半', content: '南楼村八十亩耕地在2024年被镇里征去建物流园，公示的标准是每亩五万元，村委会只给我们发了一半补偿款，另一半不知去向。要求村委会公开账目，把剩下的补偿款发给村民。' },
    related: { title: '宅基地被邻居侵占', content: '我家宅基地东侧被邻居李某盖房侵占两米，村里调解多次无果，请求国土部门重新测量确权。' },
    added: '村里很多老人就靠这笔钱养老。',
  },
  {
    title: '学校违规收取补课费',
    content: '正定县第三中学初二年级在周末组织全体学生补课。每名学生每学期收取补课费八百元。家长不交孩子就被调座位。请求教育局查处违规收费并退还费用。',
    paraphrase: { title: '三中周末补课每学期收八百', content: '县三中初二年级周末统一补课，每学期每个学生要交八百元补课费，不交钱的孩子被老师调到后排。请教育局查处这种违规收费，把钱退给家长。' },
    related: { title: '幼儿园伙食费过高', content: '阳光幼儿园每月伙食费六百元，但孩子经常吃不饱，饭菜质量很差，请教育局检查幼儿园伙食账目。' },
    added: '很多家长敢怒不敢言。',
  },
  {
    title: '公交线路取消后出行困难',
    content: '县公交公司今年三月取消了途经西关村的八路公交车。村里老人去县医院看病要步行四公里。请求恢复八路公交或增设接驳线路。',
    paraphrase: { title: '西关村八路公交被取消', content: '三月份公交公司把经过西关村的八路车停了，村里老人到县医院看病得走四公里路。希望恢复八路公交车，或者开一条接驳车。' },
    related: { title: '出租车拒载绕路', content: '县城出租车经常拒载短途乘客，还有司机故意绕路多收费，请交通运输局加强出租车管理。' },
    added: '下雨天老人根本出不了门。',
  },
  {
    title: '医院乱收检查费',
    content: '我母亲在县人民医院住院十天。出院结算时发现被重复收取三次核磁共振检查费共计四千五百元。向医院财务科反映后拒不退还。请卫健局调查并责令退费。',
    paraphrase: { title: '县医院重复收核磁共振费', content: '母亲住县人民医院十天，结账时核磁共振检查费被重复收了三次，一共四千五百元，医院财务科不给退。请卫健局调查，让医院退还多收的钱。' },
    related: { title: '乡镇卫生院医生态度恶劣', content: '我在城关镇卫生院看病时医生态度恶劣，不耐心问诊，随便开药，请卫健局加强医德医风教育。' },
    added: '住院清单我都保存着。',
  },
  {
    title: '低保资格被无故取消',
    content: '我是北街社区的残疾人，家中无劳动能力。今年一月社区无故取消了我家的低保资格。没有任何书面通知。请求民政局复核并恢复低保待遇。',
    paraphrase: { title: '残疾人家庭低保被取消', content: '我家在北街社区，我本人残疾，家里没人能干活，一月份社区取消了我家低保，连书面通知都没有。请民政局复核，恢复我家的低保。' },
    related: { title: '养老院服务质量差', content: '县福利养老院护理人员不足，老人长期无人照料，饭菜质量差，请民政局检查整改。' },
    added: '全家只靠低保生活。',
  },
  {
    title: '村干部优亲厚友分配扶贫物资',
    content: '东庄村支书赵某在分配扶贫物资时优亲厚友。把救灾帐篷和米面油都分给自己亲戚。真正的困难户一点没领到。请纪委调查处理。',
    paraphrase: { title: '东庄村支书把扶贫物资给亲戚', content: '东庄村支书赵某分扶贫物资只顾自己亲戚，救灾帐篷、米面油都给了亲戚家，真正困难的人家什么都没领到。请纪委调查赵某。' },
    related: { title: '村会计挪用集体资金', content: '西庄村会计钱某私自挪用村集体资金二十万元炒股，账目混乱，请纪委查处。' },
    added: '村民都有意见。',
  },
  {
    title: '小区电梯长期故障无人维修',
    content: '城南花园五号楼电梯从去年十月起频繁故障停运。物业公司以维修资金不足为由拒绝维修。楼里住着多位八十岁以上老人。请住建局督促物业尽快修复电梯。',
    paraphrase: { title: '城南花园五号楼电梯坏了不修', content: '城南花园五号楼的电梯自去年十月老是坏，物业说没有维修资金不给修，楼里好几位八十多岁的老人下不了楼。请住建局督促物业把电梯修好。' },
    related: { title: '小区物业费上涨不合理', content: '锦绣家园物业公司未经业主大会同意将物业费从每平米一元涨到一元五角，服务却没有改善，请住建局查处。' },
    added: '有一次还把人困在里面半小时。',
  },
  {
    title: '企业改制职工身份置换金未兑现',
    content: '原县纺织厂2019年改制时承诺给职工发放身份置换金。每人按工龄每年一千元计算。改制完成五年了至今未兑现。请求国资部门督促落实。',
    paraphrase: { title: '纺织厂改制置换金五年没兑现', content: '县纺织厂2019年改制，当时说按工龄每年一千元给职工身份置换金，到现在五年了一分没发。请国资部门督促纺织厂兑现置换金。' },
    related: { title: '改制企业职工社保断缴', content: '县机械厂改制后新老板停缴了老职工的社会保险，我们马上到退休年龄却无法办理退休，请人社局处理。' },
    added: '很多老职工已经去世了。',
  },
];

function sentences(text: string): string[] {
  return text.split(/(?<=。)/).filter((s) => s.trim().length > 0);
}

export interface LabelledPair {
  a: { title: string; content: string };
  b: { title: string; content: string };
  same: boolean;
  kind: 'paraphrase' | 'reordered' | 'added' | 'related' | 'other';
}

/** The labelled pairs (30 near-duplicates, 10 related-topic and 90 other-matter non-duplicates). */
export function labelledPairs(): LabelledPair[] {
  const out: LabelledPair[] = [];
  matters.forEach((m, i) => {
    const base = { title: m.title, content: m.content };
    const s = sentences(m.content);
    out.push({ a: base, b: m.paraphrase, same: true, kind: 'paraphrase' });
    out.push({ a: base, b: { title: m.title, content: [...s.slice(1), s[0]!].join('') }, same: true, kind: 'reordered' });
    out.push({ a: base, b: { title: m.title, content: [...s.slice(0, 1), m.added, ...s.slice(1)].join('') }, same: true, kind: 'added' });
    out.push({ a: base, b: m.related, same: false, kind: 'related' });
    matters.forEach((o, j) => {
      if (j !== i) out.push({ a: base, b: { title: o.title, content: o.content }, same: false, kind: 'other' });
    });
  });
  return out;
}
