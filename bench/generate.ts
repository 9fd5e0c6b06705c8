/**
 * Benchmark data: a fresh data directory with N genuine cases, made by the product's own services
 * (registerCitizen, createCase, performAction, citizenAct) so every row, event, hash chain, due date,
 * search-index entry, issued document (PDF) and outbox message is what the real server would have
 * written. Cases are spread over citizens, the counties of 河北 and the categories.
 *
 * States: every staff action now issues an official document rendered as PDF inside its transaction
 * (~25-50 ms each), so taking all 100,000 cases through their lifecycle would take hours. A bounded
 * subset (BENCH_HANDLED, default 2,000, spread evenly over the whole period) is taken through
 * accept / reject / assign or forward / sign / reply / confirm-receipt / evaluate by county staff
 * and the petitioner; the rest stay 待受理 (some with a petitioner's message, a few withdrawn or sent
 * to a city's leaders' mailbox). The handled cases' codes are written apart so the tracking load can
 * mix them in.
 *
 * Usage: node --import tsx bench/generate.ts [--cases 100000] [--handled 2000] [--dir /tmp/xinfang-bench]
 * Writes <dir>/data (XINFANG_DATA_DIR for the server), <dir>/codes.txt (every query code, shuffled),
 * <dir>/handled-codes.txt (codes of the handled subset) and <dir>/meta.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { migrate, openStore } from '../src/store/db.js';
import { loadMasterKey } from '../src/security/field-crypto.js';
import { hashPassword } from '../src/security/password.js';
import { createContext, type AppContext } from '../src/services/context.js';
import { createStaff, seedDemoStaff, seedUnits, staffPrincipal } from '../src/services/seed.service.js';
import { registerCitizen, type CitizenPrincipal, type StaffPrincipal } from '../src/services/auth.service.js';
import { citizenAct, createCase, type SubmitInput, type Submitter } from '../src/services/case.service.js';
import { performAction } from '../src/services/office.service.js';
import { flushRollups } from '../src/services/stats-rollup.service.js';
import { makeIdNumber } from '../src/domain/id-number.js';
import { roleLabels, type Role } from '../src/domain/permissions.js';
import { seededRandom } from '../src/domain/seeded-random.js';

export interface GenerateResult {
  dataDir: string;
  codesFile: string;
  handledCodesFile: string;
  cases: number;
  citizens: number;
  seconds: number;
  states: Record<string, number>;
}

export interface BenchMeta {
  cases: number;
  handled: number;
  citizens: number;
  seconds: number;
  states: Record<string, number>;
  createdAt: string;
}

/** Per category: the department that handles it and a few realistic petitions. */
export const topics: Record<string, { dept: string; items: { title: string; content: string }[] }> = {
  construction: {
    dept: 'zj',
    items: [
      { title: '小区楼道照明长期损坏无人维修', content: '我们小区楼道照明坏了半年，多次找物业无果，老人夜间上下楼很不安全，请求督促物业维修。' },
      { title: '村内道路破损严重影响出行', content: '村主干道路面坑洼多处，雨天积水，学生上学和车辆通行困难，希望尽快修缮。' },
      { title: '商品房逾期交房开发商拒不答复', content: '购买的商品房合同约定去年年底交房，至今未交付，开发商拒不说明情况，请求有关部门督促。' },
    ],
  },
  land: {
    dept: 'zr',
    items: [
      { title: '承包地被占用未获补偿', content: '村里修路占用了我家两亩承包地，至今没有任何补偿，也没有人给出说法，请求依法处理。' },
      { title: '宅基地审批长期无结果', content: '去年三月申请宅基地审批，材料齐全，至今没有结果，多次询问乡镇均答复等待，请求督办。' },
    ],
  },
  labour: {
    dept: 'rs',
    items: [
      { title: '建筑工地拖欠工资', content: '本人在工地务工三个月，工资一万元至今未付，多次讨要无果，请求处理。' },
      { title: '单位未依法缴纳社会保险', content: '本人在某公司工作两年，公司一直未给缴纳社会保险，请求有关部门核查并督促补缴。' },
      { title: '被辞退未支付经济补偿', content: '公司以经营困难为由辞退我，未提前通知也未支付经济补偿金，请求依法维护权益。' },
    ],
  },
  discipline: {
    dept: 'jw',
    items: [{ title: '村干部办事推诿拖延', content: '到村委会开具证明多次被推诿，村干部要求先请客才办，群众意见很大，请求调查处理。' }],
  },
  litigation: {
    dept: 'sf',
    items: [{ title: '法律援助申请未获答复', content: '本人经济困难，两个月前申请法律援助，至今未获答复，请求有关部门督促尽快办理。' }],
  },
  environment: {
    dept: 'sthj',
    items: [
      { title: '工厂夜间排放刺鼻废气', content: '村东头的工厂每天夜里排放刺鼻废气，附近居民头晕咳嗽，多次反映未见整改，请求查处。' },
      { title: '河道被倾倒建筑垃圾', content: '村南河道近期被大量倾倒建筑垃圾，堵塞河道，汛期存在隐患，请求尽快清理并查处。' },
    ],
  },
  transport: {
    dept: 'jt',
    items: [{ title: '公交线路停运影响出行', content: '我村唯一的公交线路上月起停运，老人孩子去县城非常不便，请求恢复或调整线路。' }],
  },
  education: {
    dept: 'jy',
    items: [
      { title: '学校违规收取补课费', content: '孩子所在学校组织周末补课并收取费用，家长不敢拒绝，请求教育部门核查制止。' },
      { title: '随迁子女入学难', content: '我们在本县务工多年，孩子入学被要求提供多项证明，至今未能入学，请求协调解决。' },
    ],
  },
  health: {
    dept: 'wj',
    items: [{ title: '乡镇卫生院服务态度差', content: '带老人到乡镇卫生院看病，医生态度恶劣，拒绝解释病情，请求卫生部门调查处理。' }],
  },
  civil_affairs: {
    dept: 'mz',
    items: [{ title: '低保申请被无故拒绝', content: '家中只有我和残疾的儿子，收入很低，申请低保被村里直接退回，没有说明理由，请求复核。' }],
  },
  enterprise: {
    dept: 'sj',
    items: [{ title: '企业改制职工安置不落实', content: '原单位改制时承诺的职工安置费至今没有兑现，几十名老职工生活困难，请求督促落实。' }],
  },
  other: {
    dept: 'mz',
    items: [{ title: '村务公开不及时', content: '本村账目已经两年没有公开，村民多次要求查看均被拒绝，请求有关部门督促村务公开。' }],
  },
};
const categoryList = Object.keys(topics);

const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const givenNames = ['建国', '秀英', '桂兰', '志强', '丽', '军', '敏', '海燕', '小明', '红梅', '德胜', '玉兰', '国庆', '春生', '淑珍'];

/** How far a case goes. Handled cases read timelines of 3 to ~12 public events with 1-4 documents. */
type Plan = 'submitted' | 'withdrawn' | 'rejected' | 'accepted' | 'assigned' | 'in_progress' | 'replied' | 'closed' | 'mailbox';

function pick<T>(weights: [T, number][], r: number): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [p, w] of weights) {
    if (x < w) return p;
    x -= w;
  }
  return weights[0]![0];
}

const handledPlans: [Plan, number][] = [
  ['rejected', 8],
  ['accepted', 12],
  ['assigned', 18],
  ['in_progress', 20],
  ['replied', 20],
  ['closed', 22],
];
const waitingPlans: [Plan, number][] = [
  ['submitted', 90],
  ['withdrawn', 3],
  ['mailbox', 7],
];

const DAY = 86_400_000;

export async function generate(opts: { dir: string; cases: number; handled?: number; log?: (s: string) => void }): Promise<GenerateResult> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const t0 = performance.now();
  const dir = path.resolve(opts.dir);
  const dataDir = path.join(dir, 'data');
  // Only ever wipe a directory this script made (BENCH_DIR may point anywhere).
  const ours = new Set(['data', 'codes.txt', 'handled-codes.txt', 'meta.json', 'baseline.db', 'baseline.db-wal', 'baseline.db-shm', 'prof']);
  const foreign = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => !ours.has(f)) : [];
  if (foreign.length > 0) throw new Error(`${dir} holds files the benchmark did not make (${foreign.slice(0, 3).join(', ')}); choose another BENCH_DIR`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });

  const config = loadConfig({ XINFANG_DATA_DIR: dataDir, XINFANG_DEMO: '0' });
  const store = openStore(config.databaseUrl);
  // GENERATION ONLY: the loader runs without fsync (synchronous=OFF) because generating the data set
  // is not what is measured. The server under test reopens the file through openStore(), i.e. with
  // journal_mode=WAL and synchronous=FULL, exactly as in production.
  await sql`pragma synchronous = OFF`.execute(store.db);
  await sql`pragma cache_size = -65536`.execute(store.db);
  await migrate(store);

  // A virtual clock: cases are registered over the last ~half year and handled days later.
  const realNow = Date.now();
  let now = new Date(realNow - 200 * DAY);
  const ctx: AppContext = await createContext(config, store, loadMasterKey({}, dataDir), { now: () => now });
  await seedUnits(ctx);
  await seedDemoStaff(ctx);
  const staffHash = await hashPassword('Xinfang@2026');

  const counties = ctx.units
    .all()
    .filter((u) => u.kind === 'government' && u.level === 'county' && ctx.units.bureauFor(u.regionCode)?.regionCode === u.regionCode)
    .map((u) => u.regionCode)
    .sort();
  if (counties.length === 0) throw new Error('no counties in the unit tree');

  // Staff of each county's bureau and departments, created on first use (one shared argon2 hash).
  const staffCache = new Map<string, StaffPrincipal>();
  const staff = async (unitId: string, role: Role): Promise<StaffPrincipal> => {
    const username = `bench.${unitId}.${role}`;
    let p = staffCache.get(username);
    if (!p) {
      await createStaff(ctx, { username, name: `${ctx.units.displayName(unitId)}${roleLabels[role]}`, unitId, roles: [role], password: '', passwordHash: staffHash });
      p = await staffPrincipal(ctx, username);
      staffCache.set(username, p);
    }
    return p;
  };

  // Citizens: real registrations (argon2 each), a few at a time on the thread pool.
  const rnd = seededRandom(20260302 ^ opts.cases);
  const nCitizens = Math.max(10, Math.min(300, Math.round(opts.cases / 400)));
  const citizens: { p: CitizenPrincipal; by: Submitter }[] = [];
  const tc = performance.now();
  for (let i = 0; i < nCitizens; i += 4) {
    const batch = [];
    for (let j = i; j < Math.min(nCitizens, i + 4); j++) {
      const name = `${surnames[j % surnames.length]}${givenNames[(j * 7) % givenNames.length]}`;
      const county = counties[j % counties.length]!;
      const birth = `19${50 + (j % 50)}0${1 + (j % 9)}1${j % 10}`;
      const idNumber = makeIdNumber(county, birth, String(j % 1000).padStart(3, '0'));
      const phone = `137${String(j).padStart(8, '0')}`;
      batch.push(
        registerCitizen(ctx, { name, idNumber, phone, password: 'Passw0rd!' }).then(({ account }) => ({
          p: { kind: 'citizen' as const, account, tokenHash: '' },
          by: { accountId: account.id, name, phone, channel: 'web' as const, actor: { kind: 'citizen' as const, id: account.id, unitId: null } },
        })),
      );
    }
    citizens.push(...(await Promise.all(batch)));
  }
  log(`  ${nCitizens} citizens registered in ${((performance.now() - tc) / 1000).toFixed(1)} s`);

  const handledTarget = Math.min(opts.handled ?? 2000, Math.floor(opts.cases * 0.6));
  const codes: string[] = [];
  const handledCodes: string[] = [];
  const states: Record<string, number> = {};
  const spanStart = realNow - 200 * DAY;
  const span = 199 * DAY;
  const tl = performance.now();
  let lastLog = tl;
  for (let k = 0; k < opts.cases; k++) {
    const submitted = spanStart + Math.floor((k / opts.cases) * span);
    now = new Date(submitted);
    const citizen = citizens[Math.floor(rnd() * citizens.length)]!;
    const county = counties[Math.floor(rnd() * counties.length)]!;
    const category = categoryList[Math.floor(rnd() * categoryList.length)]!;
    const topic = topics[category]!;
    const item = topic.items[Math.floor(rnd() * topic.items.length)]!;
    // Evenly spread: case k is handled when it crosses the next multiple of cases / handled.
    const handled = Math.floor(((k + 1) * handledTarget) / opts.cases) > Math.floor((k * handledTarget) / opts.cases);
    let plan = pick(handled ? handledPlans : waitingPlans, rnd());
    const input: SubmitInput = {
      target: plan === 'mailbox' ? `mailbox:${county.slice(0, 4)}00` : 'bureau',
      categoryCode: category,
      regionCode: county,
      address: `${ctx.units.displayName(county)}${['城关镇', '新城镇', '东关村', '西街社区'][k % 4]}${1 + (k % 200)}号`,
      title: item.title,
      content: `${item.content}（第 ${k + 1} 件）`,
      ...(rnd() < 0.04 ? { coPetitioners: [{ name: '李秀英', phone: '13912345678', representative: true }, { name: '赵德胜' }] } : {}),
      publicConsent: rnd() < 0.3,
    };
    const { row, queryCode } = await createCase(ctx, input, citizen.by);
    codes.push(queryCode);
    if (handled) handledCodes.push(queryCode);
    if (plan === 'mailbox') plan = 'submitted'; // the leaders' mailbox of the city; left waiting

    // Each step happens some days after the previous one, never after the real present.
    let at = submitted;
    const step = async (days: number, fn: () => Promise<unknown>): Promise<boolean> => {
      const next = at + days * DAY + Math.floor(rnd() * 8 * 3600_000);
      if (next >= realNow) return false;
      at = next;
      now = new Date(at);
      await fn();
      return true;
    };
    const bureau = `${county}-xfj`;
    const dept = `${county}-${topic.dept}`;
    let reached = 'submitted';
    const go = async () => {
      if (plan === 'submitted') {
        if (rnd() < 0.1) await step(1, () => citizenAct(ctx, citizen.p, row.id, { action: 'message', text: '请问什么时候能够受理？' }));
        return;
      }
      if (plan === 'withdrawn') {
        if (await step(1, () => citizenAct(ctx, citizen.p, row.id, { action: 'withdraw', reason: '问题已自行解决' }))) reached = 'withdrawn';
        return;
      }
      if (plan === 'rejected') {
        const acceptor = await staff(bureau, 'acceptor');
        if (await step(2, () => performAction(ctx, acceptor, row.id, 'reject', { reasonCode: 'litigation_scope', guidanceChannel: 'litigation', explanation: '该事项属于民事纠纷，请依法向人民法院起诉。' }))) reached = 'rejected';
        return;
      }
      const acceptor = await staff(bureau, 'acceptor');
      if (!(await step(2, () => performAction(ctx, acceptor, row.id, 'accept', {})))) return;
      reached = 'accepted';
      if (plan === 'accepted') return;
      const dispatcher = await staff(bureau, 'dispatcher');
      const kind = rnd() < 0.7 ? 'assign' : 'forward';
      if (!(await step(1, () => performAction(ctx, dispatcher, row.id, kind, { unitId: dept, instructions: '请依法核查处理，按期答复。' })))) return;
      reached = 'assigned';
      if (plan === 'assigned') return;
      const handler = await staff(dept, 'handler');
      if (!(await step(1, () => performAction(ctx, handler, row.id, 'sign', {})))) return;
      reached = 'in_progress';
      if (rnd() < 0.15) await step(3, () => citizenAct(ctx, citizen.p, row.id, { action: 'message', text: '请问办理进展如何？' }));
      if (plan === 'in_progress') return;
      if (!(await step(8, () => performAction(ctx, handler, row.id, 'reply', { text: `经核查，您反映的“${item.title}”问题属实，已责成有关单位限期整改，并将持续跟踪落实。感谢您的监督。` })))) return;
      reached = 'replied';
      if (plan === 'replied') return;
      if (!(await step(1, () => citizenAct(ctx, citizen.p, row.id, { action: 'confirm-receipt' })))) return;
      const rating = rnd() < 0.8 ? 'satisfied' : 'basically_satisfied';
      if (await step(1, () => citizenAct(ctx, citizen.p, row.id, { action: 'evaluate', rating }))) reached = 'closed';
    };
    await go();
    states[reached] = (states[reached] ?? 0) + 1;

    const t = performance.now();
    if (t - lastLog > 5000 || k + 1 === opts.cases) {
      // The new cases' statistics queue, applied as the server's timer does every few seconds.
      await flushRollups(ctx);
      lastLog = t;
      const done = k + 1;
      const rate = done / ((t - tl) / 1000);
      log(`  ${done.toLocaleString('en')} / ${opts.cases.toLocaleString('en')} cases  (${rate.toFixed(0)} cases/s, ${((t - t0) / 1000).toFixed(0)} s elapsed)`);
    }
  }
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  await store.close();

  // Shuffle so the tracking load does not walk the table in insertion order.
  const shuffle = seededRandom(7);
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  }
  const codesFile = path.join(dir, 'codes.txt');
  fs.writeFileSync(codesFile, codes.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'handled-codes.txt'), handledCodes.join('\n') + '\n');
  const seconds = (performance.now() - t0) / 1000;
  const meta: BenchMeta = { cases: opts.cases, handled: handledCodes.length, citizens: nCitizens, seconds, states, createdAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
  log(`  generated ${opts.cases.toLocaleString('en')} cases (${handledCodes.length.toLocaleString('en')} handled) in ${seconds.toFixed(1)} s; states: ${JSON.stringify(states)}`);
  return { dataDir, codesFile, handledCodesFile: path.join(dir, 'handled-codes.txt'), cases: opts.cases, citizens: nCitizens, seconds, states };
}

export const defaultBenchDir = path.join(os.tmpdir(), 'xinfang-bench');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const cases = Number(arg('--cases') ?? process.env.BENCH_CASES ?? 100_000);
  const handled = Number(arg('--handled') ?? process.env.BENCH_HANDLED ?? 2000);
  const dir = arg('--dir') ?? process.env.BENCH_DIR ?? defaultBenchDir;
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`bad case count: ${cases}`);
  console.log(`generating ${cases} cases in ${dir}`);
  generate({ dir, cases, handled }).then(
    () => undefined,
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
