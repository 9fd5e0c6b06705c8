/**
 * 督导检查: the list of inspections (made by my bureau, or of my unit), a new inspection (choose a unit
 * → proposed sample with reasons → date and inspectors), and one inspection: findings per case,
 * corrections with due dates, the unit's reports, acceptance or reopening.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Form, Input, InputNumber, Result, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, errorMessage } from '../../shared/api';
import { applyFieldErrors, validateForm } from '../../shared/form-errors';
import { textRules } from '../../shared/TextItem';
import { useSession } from '../../shared/session';
import { UnitPicker } from '../UnitPicker';
import { formatTime } from '../labels';
import { PromptModal } from '../PromptModal';
import { CorrectionStatus } from './statusTags';
import { beijingDate, type Correction, type Inspection, type InspectionCase, type InspectionListItem, type Sample, type SampleItem } from './types';

const inspColors: Record<Inspection['status'], string> = { open: 'processing', concluded: 'gold', closed: 'success' };

function Reasons({ r }: { r: Pick<SampleItem, 'reasons' | 'reasonLabels'> }) {
  if (r.reasons.length === 0) return <Typography.Text type="secondary">随机抽取</Typography.Text>;
  return (
    <Space size={2} wrap>
      {r.reasonLabels.map((l) => (
        <Tag key={l} color="orange">
          {l}
        </Tag>
      ))}
    </Space>
  );
}

export function InspectionListPage() {
  const { me } = useSession();
  const [items, setItems] = useState<InspectionListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ items: InspectionListItem[] }>('/api/office/inspections')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  if (error) return <Result status="403" title="无法打开督导检查" subTitle={error} />;
  const canInspect = me?.permissions.includes('inspection.manage') ?? false;
  return (
    <section aria-labelledby="insp-title">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <h2 id="insp-title" className="xf-office-page-title">
          督导检查
        </h2>
        {canInspect && (
          <Link to="/office/inspections/new">
            <Button type="primary">新建督导检查</Button>
          </Link>
        )}
      </Space>
      <Typography.Paragraph type="secondary">对承办单位办理信访件情况的抽查：抽查案件、检查意见、整改要求及落实情况。被检查单位可在此看到对本单位的全部检查意见和整改要求，并报告整改情况。</Typography.Paragraph>
      <Table<InspectionListItem>
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: '暂无督导检查记录' }}
        columns={[
          { title: '检查日期', dataIndex: 'inspectedOn', width: 110, render: (d: string, r) => <Link to={`/office/inspections/${r.id}`}>{d}</Link> },
          { title: '被检查单位', dataIndex: 'unitName' },
          { title: '检查单位', dataIndex: 'byUnitName' },
          { title: '抽查', dataIndex: 'cases', width: 70, render: (n: number) => `${n} 件` },
          { title: '发现问题', dataIndex: 'problems', width: 90, render: (n: number) => (n > 0 ? <Tag color="red">{n} 件</Tag> : '0') },
          { title: '未完成整改', dataIndex: 'openCorrections', width: 100 },
          { title: '逾期整改', dataIndex: 'overdueCorrections', width: 90, render: (n: number) => (n > 0 ? <Tag color="red">{n} 项</Tag> : '0') },
          { title: '状态', key: 'status', width: 90, render: (_, r) => <Tag color={inspColors[r.status]}>{r.statusLabel}</Tag> },
          { title: '', key: 'side', width: 100, render: (_, r) => (r.side === 'unit' ? <Tag color="volcano">对本单位</Tag> : <Tag>我方检查</Tag>) },
        ]}
      />
    </section>
  );
}

export function NewInspectionPage() {
  const navigate = useNavigate();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [size, setSize] = useState<number>(10);
  const [sample, setSample] = useState<Sample | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ inspectedOn: string; inspectors: string }>();
  const propose = async () => {
    if (!unitId) return setError('请先选择被检查单位');
    setBusy(true);
    setError(null);
    try {
      const s = await api.get<Sample>(`/api/office/inspections/sample?unitId=${encodeURIComponent(unitId)}&size=${size}`);
      setSample(s);
      setPicked(s.items.map((i) => i.caseId));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const create = async () => {
    const v = await validateForm(form);
    if (!sample) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Inspection>('/api/office/inspections', { unitId: sample.unitId, inspectedOn: v.inspectedOn, inspectors: v.inspectors.trim(), caseIds: picked });
      void navigate(`/office/inspections/${r.id}`);
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="new-insp-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/office/inspections">督导检查</Link> }, { title: '新建' }]} />
      <h2 id="new-insp-title" className="xf-office-page-title">
        新建督导检查
      </h2>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Card size="small" title="第一步：选择被检查单位，生成抽查样本" style={{ marginBottom: 12 }}>
        <Space wrap>
          <UnitPicker value={unitId} onChange={(v) => setUnitId(v)} placeholder="被检查单位（可选县、区整体或具体部门）" style={{ width: 360 }} aria-label="被检查单位" />
          <span>抽查</span>
          <InputNumber aria-label="抽查数量" min={1} max={50} value={size} onChange={(v) => setSize(v ?? 10)} />
          <span>件</span>
          <Button type="primary" loading={busy} onClick={() => void propose()}>
            {sample ? '重新抽样' : '生成抽查样本'}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          从该单位经手的信访件中随机抽取；超期办理、信访人不满意、曾被退回、信访人报告“这不是我签的”的案件被抽中的机会更大，并注明理由。检举揭发该单位的信访件不在抽查范围内。
        </Typography.Paragraph>
      </Card>
      {sample && (
        <Card size="small" title={`推荐样本：${sample.unitName}（共 ${sample.population} 件，其中有问题迹象 ${sample.flagged} 件；随机种子 ${sample.seed}）`} style={{ marginBottom: 12 }}>
          <Table<SampleItem>
            rowKey="caseId"
            size="small"
            pagination={false}
            dataSource={sample.items}
            locale={{ emptyText: '该单位没有可抽查的信访件' }}
            rowSelection={{ selectedRowKeys: picked, onChange: (k) => setPicked(k.map(String)) }}
            columns={[
              { title: '编号', dataIndex: 'caseNo', width: 150, render: (n: string, r) => <Link to={`/office/cases/${r.caseId}`} target="_blank">{n}</Link> },
              { title: '标题', dataIndex: 'title' },
              { title: '状态', dataIndex: 'stateLabel', width: 90 },
              { title: '当前单位', dataIndex: 'currentUnitName', width: 170 },
              { title: '抽取理由', key: 'reasons', render: (_, r) => <Reasons r={r} /> },
            ]}
          />
        </Card>
      )}
      {sample && (
        <Card size="small" title="第二步：登记检查">
          <Form form={form} layout="inline" initialValues={{ inspectedOn: beijingDate() }}>
            <Form.Item name="inspectedOn" label="检查日期" rules={[{ required: true, message: '请填写检查日期' }]}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="inspectors" label="检查人员" rules={textRules({ required: '请填写检查人员', min: 2, noun: '检查人员', max: 500 })}>
              <Input placeholder="如：李明、王芳" style={{ width: 260 }} />
            </Form.Item>
            <Button type="primary" loading={busy} onClick={() => void create()}>
              创建检查记录（{picked.length} 件）
            </Button>
          </Form>
        </Card>
      )}
    </section>
  );
}

type Modal =
  | { kind: 'finding'; c: InspectionCase; verdict: 'ok' | 'problem' }
  | { kind: 'conclude' }
  | { kind: 'report'; c: Correction }
  | { kind: 'accept'; c: Correction }
  | { kind: 'reopen'; c: Correction };

export function InspectionDetailPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const [i, setI] = useState<Inspection | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [modal, setModal] = useState<Modal | null>(null);
  const [form] = Form.useForm<{ caseId?: string; requirement: string; dueDate: string }>();
  const [corrError, setCorrError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setI(await api.get<Inspection>(`/api/office/inspections/${id}`));
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'error', errorMessage(e)));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  if (failure) return <Result status={failure.status === 404 ? '404' : 'error'} title="无法打开该检查记录" subTitle={failure.message} extra={<Link to="/office/inspections">返回督导检查</Link>} />;
  if (!i) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const can = (a: Inspection['allowedActions'][number]) => i.allowedActions.includes(a);
  const post = async (url: string, body: Record<string, unknown>, done: string) => {
    setI(await api.post<Inspection>(`/api/office/inspections/${i.id}${url}`, body));
    setModal(null);
    void message.success(done);
  };
  const addCorrection = async () => {
    const v = await validateForm(form);
    setCorrError(null);
    try {
      await post('/corrections', { ...(v.caseId ? { caseId: v.caseId } : {}), requirement: v.requirement.trim(), dueDate: v.dueDate }, '已提出整改要求');
      form.resetFields();
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setCorrError(errorMessage(e));
    }
  };
  const pending = i.cases.filter((c) => !c.verdict).length;

  return (
    <article aria-labelledby="insp-detail-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/office/inspections">督导检查</Link> }, { title: '检查记录' }]} />
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <h2 id="insp-detail-title" className="xf-office-page-title" style={{ margin: 0 }}>
          对{i.unitName}的督导检查
        </h2>
        <Tag color={inspColors[i.status]} data-testid="inspection-status">
          {i.statusLabel}
        </Tag>
      </Space>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="检查单位">{i.byUnitName}</Descriptions.Item>
          <Descriptions.Item label="检查日期">{i.inspectedOn}</Descriptions.Item>
          <Descriptions.Item label="检查人员">{i.inspectors}</Descriptions.Item>
          {i.summary && (
            <Descriptions.Item label="检查意见" span={3}>
              <span className="xf-office-pre">{i.summary}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <Card size="small" title={`抽查案件（${i.cases.length} 件${pending ? `，${pending} 件待记录意见` : ''}）`} style={{ marginBottom: 12 }}>
        <Table<InspectionCase>
          rowKey="caseId"
          size="small"
          pagination={false}
          dataSource={i.cases}
          scroll={{ x: 900 }}
          columns={[
            { title: '编号', dataIndex: 'caseNo', width: 150, render: (n: string, r) => <Link to={`/office/cases/${r.caseId}`}>{n}</Link> },
            { title: '标题', dataIndex: 'title' },
            { title: '抽取理由', key: 'reasons', width: 200, render: (_, r) => <Reasons r={r} /> },
            {
              title: '检查意见',
              key: 'finding',
              render: (_, r) =>
                r.verdict ? (
                  <span>
                    <Tag color={r.verdict === 'ok' ? 'green' : 'red'}>{r.verdictLabel}</Tag>
                    {r.finding}
                  </span>
                ) : (
                  <Typography.Text type="secondary">待记录</Typography.Text>
                ),
            },
            ...(can('finding')
              ? [
                  {
                    title: '记录',
                    key: 'act',
                    width: 150,
                    render: (_: unknown, r: InspectionCase) => (
                      <Space size={4}>
                        <Button size="small" onClick={() => setModal({ kind: 'finding', c: r, verdict: 'ok' })}>
                          规范
                        </Button>
                        <Button size="small" danger onClick={() => setModal({ kind: 'finding', c: r, verdict: 'problem' })}>
                          存在问题
                        </Button>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>

      <Card size="small" title="整改要求" style={{ marginBottom: 12 }}>
        <Table<Correction>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={i.corrections}
          scroll={{ x: 900 }}
          locale={{ emptyText: '尚无整改要求' }}
          columns={[
            { title: '整改要求', dataIndex: 'requirement', render: (t: string, c) => <span>{c.caseNo && <Tag>{c.caseNo}</Tag>}{t}</span> },
            { title: '整改期限', dataIndex: 'dueDate', width: 110, render: (d: string, c) => <span style={c.overdue ? { color: '#cf1322', fontWeight: 600 } : undefined}>{d}</span> },
            { title: '状态', key: 'status', width: 150, render: (_, c) => <CorrectionStatus c={c} /> },
            {
              title: '整改报告 / 验收意见',
              key: 'report',
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  {c.report && <span>报告：{c.report}（{formatTime(c.reportedAt)}）</span>}
                  {c.decisionNote && <Typography.Text type="secondary">验收：{c.decisionNote}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: '操作',
              key: 'act',
              width: 190,
              render: (_, c) => (
                <Space size={4}>
                  {c.allowedActions.includes('report') && (
                    <Button size="small" type="primary" onClick={() => setModal({ kind: 'report', c })}>
                      报告整改情况
                    </Button>
                  )}
                  {c.allowedActions.includes('accept') && (
                    <Button size="small" type="primary" onClick={() => setModal({ kind: 'accept', c })}>
                      验收通过
                    </Button>
                  )}
                  {c.allowedActions.includes('reopen') && (
                    <Button size="small" danger onClick={() => setModal({ kind: 'reopen', c })}>
                      重新整改
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
        {can('add-correction') && (
          <div style={{ marginTop: 12 }}>
            {corrError && <Alert type="error" showIcon title={corrError} style={{ marginBottom: 8 }} />}
            <Form form={form} layout="inline" initialValues={{ dueDate: beijingDate(14) }}>
              <Form.Item name="caseId">
                <Select allowClear placeholder="针对的信访件（可不选）" style={{ width: 200 }} aria-label="针对的信访件" options={i.cases.map((c) => ({ value: c.caseId, label: c.caseNo }))} />
              </Form.Item>
              <Form.Item name="requirement" rules={textRules({ required: '请填写整改要求', min: 5, noun: '整改要求', max: 2000 })}>
                <Input placeholder="整改要求" style={{ width: 320 }} aria-label="整改要求" />
              </Form.Item>
              <Form.Item name="dueDate" label="整改期限" rules={[{ required: true, message: '请填写整改期限' }]}>
                <Input type="date" />
              </Form.Item>
              <Button onClick={() => void addCorrection()}>提出整改要求</Button>
            </Form>
          </div>
        )}
      </Card>

      {can('conclude') && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" disabled={pending > 0} onClick={() => setModal({ kind: 'conclude' })}>
            形成检查意见并通知被检查单位
          </Button>
          {pending > 0 && <Typography.Text type="secondary">还有 {pending} 件抽查案件未记录意见</Typography.Text>}
        </Space>
      )}

      {modal?.kind === 'finding' && (
        <PromptModal
          title={`${modal.c.caseNo}：${modal.verdict === 'ok' ? '规范' : '存在问题'}`}
          okText="记录"
          danger={modal.verdict === 'problem'}
          text={{ name: 'finding', label: modal.verdict === 'ok' ? '检查意见（选填）' : '发现的问题', min: modal.verdict === 'ok' ? undefined : 5, max: 5000, required: modal.verdict === 'problem' }}
          onCancel={() => setModal(null)}
          onSubmit={(v) => post(`/cases/${modal.c.caseId}/finding`, { verdict: modal.verdict, ...(v.finding ? { finding: v.finding } : {}) }, '已记录检查意见')}
        />
      )}
      {modal?.kind === 'conclude' && (
        <PromptModal title="形成检查意见" okText="确认并通知" text={{ name: 'summary', label: '检查意见', min: 5, max: 5000, rows: 6 }} onCancel={() => setModal(null)} onSubmit={(v) => post('/conclude', { summary: v.summary }, '检查意见已通知被检查单位')} />
      )}
      {modal?.kind === 'report' && (
        <PromptModal title="报告整改情况" okText="提交报告" intro={<Typography.Paragraph>{modal.c.requirement}</Typography.Paragraph>} text={{ name: 'text', label: '整改情况', min: 5, max: 5000 }} onCancel={() => setModal(null)} onSubmit={(v) => post(`/corrections/${modal.c.id}/report`, { text: v.text }, '已报告整改情况')} />
      )}
      {modal?.kind === 'accept' && (
        <PromptModal title="验收整改" okText="验收通过" text={{ name: 'note', label: '验收意见', max: 2000, required: false, placeholder: '选填' }} onCancel={() => setModal(null)} onSubmit={(v) => post(`/corrections/${modal.c.id}/accept`, v.note ? { note: v.note } : {}, '整改已验收')} />
      )}
      {modal?.kind === 'reopen' && (
        <PromptModal
          title="退回重新整改"
          okText="退回重新整改"
          danger
          text={{ name: 'note', label: '未通过验收的理由', min: 5, max: 2000 }}
          date={{ name: 'dueDate', label: '新的整改期限', initial: beijingDate(14) }}
          onCancel={() => setModal(null)}
          onSubmit={(v) => post(`/corrections/${modal.c.id}/reopen`, { note: v.note, dueDate: v.dueDate }, '已退回重新整改')}
        />
      )}
    </article>
  );
}
