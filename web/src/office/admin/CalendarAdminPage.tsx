/**
 * 工作日历 (permission admin.calendar): the year's working days with festivals and make-up
 * workdays; import a year from an .ics file, the State Council notice typed as a table, or JSON;
 * edit a single day. Every change is previewed first — which days change and which open cases'
 * due dates move — and applied only on confirmation. Recent changes are listed with their summary.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, InputNumber, Modal, Radio, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { api, errorMessage } from '../../shared/api';
import './admin.css';

interface DayView {
  date: string;
  workday: boolean;
  kind: 'holiday' | 'workday' | null;
  note: string | null;
  origin: 'builtin' | 'imported' | 'admin' | null;
}
interface YearView {
  year: number;
  covered: boolean;
  source: string | null;
  importedAt: string | null;
  workdays: number;
  days: DayView[];
}
interface MovedCase {
  caseId: string;
  caseNo: string;
  unitName: string;
  changes: Record<string, { from: string | null; to: string }>;
}
export interface ChangeOutcome {
  applied: boolean;
  days: number;
  dayChanges: { date: string; from: 'workday' | 'rest'; to: 'workday' | 'rest'; note: string | null }[];
  summary: { examined: number; moved: number; byColumn: Record<string, number> };
  moved: MovedCase[];
  movedTruncated: boolean;
  ignoredDays?: number;
}
interface ChangeRecord {
  id: number;
  at: string;
  kind: string;
  year: number | null;
  date: string | null;
  source: string;
  daysChanged: number;
  casesMoved: number;
  byColumn: Record<string, number>;
}

const columnLabels: Record<string, string> = {
  due_accept: '受理告知',
  due_assign: '交办转送',
  due_return: '退回异议',
  due_reply: '办理答复',
  due_review_request: '申请复查/复核',
  due_review_decision: '复查/复核意见',
};
const kindLabels: Record<string, string> = { year: 'JSON 导入', notice: '通知表格导入', ics: '.ics 导入', day: '单日调整' };
const originLabels: Record<string, string> = { builtin: '国务院通知（内置）', imported: '导入', admin: '单日调整' };
const weekdays = ['一', '二', '三', '四', '五', '六', '日'];

function cn(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** What a change does: the days whose status changes and the open cases whose due dates move. */
export function ChangePreview({ out }: { out: ChangeOutcome }) {
  const by = Object.entries(out.summary.byColumn)
    .map(([k, n]) => `${columnLabels[k] ?? k} ${n} 件`)
    .join('，');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} aria-label="调整预览">
      <Alert
        type={out.applied ? 'success' : 'info'}
        showIcon
        title={`${out.applied ? '已保存' : '预览（尚未保存）'}：${out.dayChanges.length} 天的上班 / 放假状态改变，${out.summary.moved} 件在办信访件的期限${out.applied ? '已重算' : '将变动'}${by ? `（${by}）` : ''}${out.ignoredDays ? `；文件中其他年份的 ${out.ignoredDays} 天未导入` : ''}`}
      />
      {out.dayChanges.length > 0 && (
        <Table
          size="small"
          rowKey="date"
          pagination={out.dayChanges.length > 10 ? { pageSize: 10 } : false}
          dataSource={out.dayChanges}
          aria-label="状态改变的日期"
          columns={[
            { title: '日期', dataIndex: 'date', render: (d: string) => cn(d) },
            { title: '原为', dataIndex: 'from', render: (v: string) => (v === 'workday' ? '上班' : '休息') },
            { title: '改为', dataIndex: 'to', render: (v: string) => <Tag color={v === 'workday' ? 'blue' : 'red'}>{v === 'workday' ? '上班' : '放假'}</Tag> },
            { title: '说明', dataIndex: 'note', render: (v: string | null) => v ?? '' },
          ]}
        />
      )}
      {out.moved.length > 0 && (
        <Table
          size="small"
          rowKey="caseId"
          pagination={out.moved.length > 10 ? { pageSize: 10 } : false}
          dataSource={out.moved}
          aria-label="期限变动的信访件"
          columns={[
            { title: '信访件编号', dataIndex: 'caseNo', render: (no: string, r: MovedCase) => <a href={`/office/cases/${r.caseId}`}>{no}</a> },
            { title: '当前承办单位', dataIndex: 'unitName' },
            {
              title: '期限变动',
              dataIndex: 'changes',
              render: (c: MovedCase['changes']) =>
                Object.entries(c).map(([k, v]) => (
                  <div key={k}>
                    {columnLabels[k] ?? k}：{v.from ?? '—'} → {v.to}
                  </div>
                )),
            },
          ]}
        />
      )}
      {out.movedTruncated && <Typography.Text type="secondary">仅列出前 500 件。</Typography.Text>}
    </Space>
  );
}

function Month({ year, month, days, onPick }: { year: number; month: number; days: DayView[]; onPick: (d: DayView) => void }) {
  const first = days[0]!;
  const offset = (new Date(`${first.date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const cells: (DayView | null)[] = [...Array<null>(offset).fill(null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);
  const rows: (DayView | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return (
    <div className="xf-cal-month">
      <h3 style={{ margin: '0 0 4px', fontSize: 15 }}>{`${year}年${month}月`}</h3>
      <table className="xf-cal-table">
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((d, j) =>
                d ? (
                  <td key={j}>
                    <button
                      type="button"
                      className={`xf-cal-day ${d.kind === 'holiday' ? 'is-holiday' : d.kind === 'workday' ? 'is-makeup' : d.workday ? '' : 'is-rest'}`}
                      aria-label={`${cn(d.date)} ${d.workday ? '上班' : '休息'}${d.kind === 'holiday' ? '（放假）' : d.kind === 'workday' ? '（调休上班）' : ''}${d.note ? ` ${d.note}` : ''}`}
                      title={d.note ? `${d.note}${d.origin ? ` · ${originLabels[d.origin]}` : ''}` : undefined}
                      onClick={() => onPick(d)}
                    >
                      {Number(d.date.slice(8))}
                      {d.kind === 'holiday' && <span className="xf-cal-mark">休</span>}
                      {d.kind === 'workday' && <span className="xf-cal-mark">班</span>}
                    </button>
                  </td>
                ) : (
                  <td key={j} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DayModal({ day, onClose, onSaved }: { day: DayView; onClose: () => void; onSaved: () => void }) {
  const [kind, setKind] = useState<'holiday' | 'workday' | 'default'>(day.kind === 'holiday' ? 'workday' : 'holiday');
  const [note, setNote] = useState(day.note ?? '');
  const [preview, setPreview] = useState<ChangeOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  const send = async (pv: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const out = await api.put<ChangeOutcome>(`/api/admin/calendar/days/${day.date}${pv ? '?preview=true' : ''}`, { kind, ...(note ? { note } : {}) });
      if (pv) setPreview(out);
      else {
        void message.success(`已保存：${cn(day.date)}，${out.summary.moved} 件在办信访件期限已重算`);
        onSaved();
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`调整 ${cn(day.date)}`}
      onCancel={onClose}
      footer={[
        <Button key="c" onClick={onClose}>
          取消
        </Button>,
        <Button key="p" onClick={() => void send(true)} loading={busy && !preview}>
          预览影响
        </Button>,
        <Button key="s" type="primary" disabled={!preview} loading={busy && !!preview} onClick={() => void send(false)}>
          确认保存
        </Button>,
      ]}
      width={720}
    >
      <p>
        当前：{day.workday ? '上班' : '休息'}
        {day.note ? `（${day.note}）` : ''}
        {day.origin ? `，来源：${originLabels[day.origin]}` : ''}
      </p>
      <Radio.Group
        aria-label="调整为"
        value={kind}
        onChange={(e) => {
          setKind(e.target.value as typeof kind);
          setPreview(null);
        }}
        options={[
          { value: 'holiday', label: '放假' },
          { value: 'workday', label: '调休上班' },
          { value: 'default', label: '恢复默认' },
        ]}
      />
      <Input
        style={{ marginTop: 12 }}
        aria-label="说明"
        placeholder="说明，如：春节"
        maxLength={50}
        value={note}
        onChange={(e) => {
          setNote(e.target.value);
          setPreview(null);
        }}
      />
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
      {preview && (
        <div style={{ marginTop: 12 }}>
          <ChangePreview out={preview} />
        </div>
      )}
    </Modal>
  );
}

type Format = 'ics' | 'notice' | 'json';

function ImportCard({ year, onDone }: { year: number; onDone: () => void }) {
  const [format, setFormat] = useState<Format>('ics');
  const [importYear, setImportYear] = useState<number>(year);
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [out, setOut] = useState<ChangeOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setImportYear(year), [year]);
  const reset = () => {
    setOut(null);
    setError(null);
  };
  const send = async (pv: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const q = pv ? '?preview=true' : '';
      const src = source.trim() || (format === 'ics' ? `iCalendar 日历文件 ${fileName}`.trim() : `国务院办公厅关于${importYear}年部分节假日安排的通知`);
      let r: ChangeOutcome;
      if (format === 'ics') r = await api.post<ChangeOutcome>(`/api/admin/calendar/ics${q}`, { year: importYear, source: src, ics: text });
      else if (format === 'notice') r = await api.post<ChangeOutcome>(`/api/admin/calendar/notice${q}`, { year: importYear, source: src, text });
      else {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new Error('JSON 格式不正确，请检查括号与引号');
        }
        r = await api.post<ChangeOutcome>(`/api/admin/calendar/years${q}`, body as Record<string, unknown>);
      }
      setOut(r);
      if (!pv) onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="导入全年节假日安排" size="small">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Tabs
          activeKey={format}
          onChange={(k) => {
            setFormat(k as Format);
            setText('');
            setFileName('');
            reset();
          }}
          items={[
            { key: 'ics', label: '.ics 日历文件' },
            { key: 'notice', label: '国务院通知表格' },
            { key: 'json', label: 'JSON' },
          ]}
        />
        {format !== 'json' && (
          <Space wrap>
            <label>
              年份{' '}
              <InputNumber
                aria-label="导入年份"
                min={2000}
                max={2100}
                value={importYear}
                onChange={(v) => {
                  if (v) setImportYear(v);
                  reset();
                }}
              />
            </label>
            <Input aria-label="来源" style={{ width: 360 }} placeholder={`来源，如：国务院办公厅关于${importYear}年部分节假日安排的通知`} value={source} onChange={(e) => setSource(e.target.value)} maxLength={200} />
          </Space>
        )}
        {format === 'ics' && (
          <div>
            <input
              type="file"
              accept=".ics,text/calendar"
              aria-label="选择 .ics 文件"
              onChange={(e) => {
                const f = e.target.files?.[0];
                reset();
                if (!f) return;
                if (f.size > 1_000_000) {
                  setError('日历文件不能超过 1 MB');
                  return;
                }
                setFileName(f.name);
                void f.text().then(setText);
              }}
            />
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              全天事件（VEVENT）为放假日；名称含「班」（上班、补班、调休上班）的为调休上班日。只导入所选年份的日期。
            </Typography.Paragraph>
          </div>
        )}
        {format === 'notice' && (
          <Input.TextArea
            aria-label="通知表格"
            rows={6}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              reset();
            }}
            placeholder={'每行一个节日，例如：\n元旦 2027-01-01至2027-01-03 放假\n春节 2027-02-06至2027-02-13 放假 2027-02-14上班、2027-02-20上班'}
          />
        )}
        {format === 'json' && (
          <Input.TextArea
            aria-label="JSON"
            rows={6}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              reset();
            }}
            placeholder={'{"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知", "days": [{"date": "2027-01-01", "kind": "holiday", "note": "元旦"}]}'}
          />
        )}
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <Space>
          <Button onClick={() => void send(true)} disabled={!text} loading={busy && !out}>
            预览影响
          </Button>
          <Button type="primary" onClick={() => void send(false)} disabled={!out || out.applied} loading={busy && !!out}>
            确认导入
          </Button>
        </Space>
        {out && <ChangePreview out={out} />}
      </Space>
    </Card>
  );
}

export default function CalendarAdminPage() {
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [data, setData] = useState<YearView | null>(null);
  const [changes, setChanges] = useState<ChangeRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [day, setDay] = useState<DayView | null>(null);
  const load = useCallback(() => {
    setError(null);
    api.get<YearView>(`/api/admin/calendar/years/${year}`).then(setData, (e: unknown) => setError(errorMessage(e)));
    api.get<{ items: ChangeRecord[] }>('/api/admin/calendar/changes?limit=20').then((r) => setChanges(r.items), () => undefined);
  }, [year]);
  useEffect(load, [load]);
  const months = data ? Array.from({ length: 12 }, (_, i) => data.days.filter((d) => Number(d.date.slice(5, 7)) === i + 1)) : [];
  const special = data?.days.filter((d) => d.kind) ?? [];
  return (
    <div>
      <h2 className="xf-office-page-title">工作日历</h2>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label="年份"
          value={year}
          onChange={setYear}
          style={{ width: 120 }}
          options={[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => ({ value: y, label: `${y} 年` }))}
        />
        {data && (
          <Typography.Text>
            {data.covered ? `节假日数据：${data.source ?? ''}${data.importedAt ? `（${data.importedAt.slice(0, 10)} 导入）` : ''}，` : ''}全年工作日 {data.workdays} 天
          </Typography.Text>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {data && !data.covered && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`尚未导入 ${year} 年节假日安排：该年的期限按普通周末推算。请在国务院办公厅发布通知后导入。`} />}
      {!data && !error && <Spin />}
      {data && (
        <>
          <Typography.Paragraph type="secondary">
            <span className="xf-cal-legend is-holiday">休</span> 法定节假日　<span className="xf-cal-legend is-makeup">班</span> 调休上班　灰色为周末。点击某一天可单独调整。
          </Typography.Paragraph>
          <div className="xf-cal-grid">
            {months.map((m, i) => (
              <Month key={i} year={year} month={i + 1} days={m} onPick={setDay} />
            ))}
          </div>
          {special.length > 0 && (
            <Card size="small" title={`${year} 年节假日与调休上班日`} style={{ marginTop: 16 }}>
              <Table
                size="small"
                rowKey="date"
                pagination={false}
                dataSource={special}
                columns={[
                  { title: '日期', dataIndex: 'date', render: (d: string) => cn(d) },
                  { title: '类型', dataIndex: 'kind', render: (k: string) => <Tag color={k === 'holiday' ? 'red' : 'blue'}>{k === 'holiday' ? '放假' : '调休上班'}</Tag> },
                  { title: '节日', dataIndex: 'note', render: (v: string | null) => v ?? '' },
                  { title: '来源', dataIndex: 'origin', render: (o: string | null) => (o ? originLabels[o] : '') },
                ]}
              />
            </Card>
          )}
        </>
      )}
      <div style={{ marginTop: 16 }}>
        <ImportCard year={year} onDone={load} />
      </div>
      <Card size="small" title="调整记录" style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="id"
          dataSource={changes}
          pagination={false}
          locale={{ emptyText: '暂无调整记录' }}
          columns={[
            { title: '时间', dataIndex: 'at', render: (v: string) => v.slice(0, 16).replace('T', ' ') },
            { title: '方式', dataIndex: 'kind', render: (k: string) => kindLabels[k] ?? k },
            { title: '年份 / 日期', render: (_: unknown, r: ChangeRecord) => r.date ?? (r.year ? `${r.year} 年` : '') },
            { title: '来源', dataIndex: 'source' },
            { title: '改变天数', dataIndex: 'daysChanged' },
            {
              title: '期限变动',
              render: (_: unknown, r: ChangeRecord) =>
                `${r.casesMoved} 件${Object.keys(r.byColumn).length ? `（${Object.entries(r.byColumn).map(([k, n]) => `${columnLabels[k] ?? k} ${n}`).join('，')}）` : ''}`,
            },
          ]}
        />
      </Card>
      {day && (
        <DayModal
          key={day.date}
          day={day}
          onClose={() => setDay(null)}
          onSaved={() => {
            setDay(null);
            load();
          }}
        />
      )}
    </div>
  );
}
