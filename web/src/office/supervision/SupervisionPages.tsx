/** 督办: the list of 督办件 (received by my unit, opened by my bureau) and one 督办件 with answer / close / escalate. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Form, Result, Segmented, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError, errorMessage } from '../../shared/api';
import { applyFieldErrors, validateForm } from '../../shared/form-errors';
import { TextItem } from '../../shared/TextItem';
import { formatTime } from '../labels';
import { PromptModal } from '../PromptModal';
import { SupervisionStatus } from './statusTags';
import { beijingDate, type Supervision, type SupervisionStep } from './types';

const filters = [
  { value: 'open', label: '待报告' },
  { value: 'overdue', label: '逾期未报告' },
  { value: 'answered', label: '已报告待审核' },
  { value: 'closed', label: '已办结' },
  { value: 'escalated', label: '已提级' },
  { value: 'all', label: '全部' },
];

export function SupervisionListPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'open';
  const side = params.get('side') ?? 'all';
  const [items, setItems] = useState<Supervision[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const q = new URLSearchParams();
    if (status !== 'all') q.set('status', status);
    if (side !== 'all') q.set('side', side);
    setItems(null);
    api
      .get<{ items: Supervision[] }>(`/api/office/supervisions?${q.toString()}`)
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [status, side]);
  const set = (k: string, v: string) => {
    const n = new URLSearchParams(params);
    n.set(k, v);
    setParams(n);
  };
  if (error && !items) return <Result status="403" title="无法打开督办" subTitle={error} />;
  return (
    <section aria-labelledby="sup-title">
      <h2 id="sup-title" className="xf-office-page-title">
        督办件
      </h2>
      <Typography.Paragraph type="secondary">本单位收到的督办（须按期书面报告），以及本局和下级信访部门发起的督办。逾期未报告的以红色标出。</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented aria-label="督办状态" value={status} onChange={(v) => set('status', String(v))} options={filters} />
        <Segmented
          aria-label="督办方向"
          value={side}
          onChange={(v) => set('side', String(v))}
          options={[
            { value: 'all', label: '全部' },
            { value: 'unit', label: '本单位收到' },
            { value: 'supervisor', label: '我方督办' },
          ]}
        />
      </Space>
      <Table<Supervision>
        rowKey="id"
        loading={items === null}
        dataSource={items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: '没有符合条件的督办件' }}
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 件` }}
        columns={[
          { title: '督办事项', key: 'problem', render: (_, s) => <Link to={`/office/supervisions/${s.id}`}>{s.problem.length > 40 ? `${s.problem.slice(0, 40)}…` : s.problem}</Link> },
          { title: '信访件', key: 'cases', width: 170, render: (_, s) => s.cases.map((c) => <div key={c.id}><Link to={`/office/cases/${c.id}`}>{c.caseNo}</Link></div>) },
          { title: '督办单位', dataIndex: 'byUnitName', width: 150 },
          { title: '被督办单位', dataIndex: 'unitName', width: 170 },
          { title: '报告期限', dataIndex: 'dueDate', width: 110, render: (d: string | null, s) => <span style={s.overdue ? { color: '#cf1322', fontWeight: 600 } : undefined}>{d ?? '—'}</span> },
          { title: '状态', key: 'status', width: 150, render: (_, s) => <SupervisionStatus s={s} /> },
          { title: '方向', key: 'side', width: 100, render: (_, s) => (s.side === 'unit' ? <Tag color="volcano">本单位收到</Tag> : <Tag>我方督办</Tag>) },
        ]}
      />
    </section>
  );
}

export function SupervisionDetailPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [s, setS] = useState<Supervision | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [modal, setModal] = useState<'close' | 'return' | 'escalate' | null>(null);
  const [form] = Form.useForm<{ text: string }>();
  const [busy, setBusy] = useState(false);
  const [answerError, setAnswerError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setS(await api.get<Supervision>(`/api/office/supervisions/${id}`));
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'error', errorMessage(e)));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  if (failure) return <Result status={failure.status === 404 ? '404' : 'error'} title="无法打开该督办件" subTitle={failure.message} extra={<Link to="/office/supervisions">返回督办件列表</Link>} />;
  if (!s) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;

  const answer = async () => {
    const v = await validateForm(form);
    setBusy(true);
    setAnswerError(null);
    try {
      setS(await api.post<Supervision>(`/api/office/supervisions/${s.id}/answer`, { text: v.text.trim() }));
      void message.success('已报告督办单位');
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setAnswerError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article aria-labelledby="sup-detail-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/office/supervisions">督办件</Link> }, { title: '督办件详情' }]} />
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <h2 id="sup-detail-title" className="xf-office-page-title" style={{ margin: 0 }}>
          {s.byUnitName}督办{s.unitName}
        </h2>
        <span data-testid="supervision-status">
          <SupervisionStatus s={s} />
        </span>
        <Tag>{s.sourceLabel}</Tag>
      </Space>
      {s.side === 'unit' && s.status === 'open' && (
        <Alert
          type={s.overdue ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12 }}
          title={`${s.returnCount > 0 ? '报告已被退回重办，' : ''}${s.overdue ? `已超过报告期限 ${s.dueDate}，请立即书面报告` : `请于 ${s.dueDate} 前${s.returnCount > 0 ? '重新' : ''}书面报告办理情况`}`}
        />
      )}
      {s.escalatedTo && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="本督办件已提请上一级信访部门督办。" />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label="督办单位">{s.byUnitName}</Descriptions.Item>
          <Descriptions.Item label="被督办单位">{s.unitName}</Descriptions.Item>
          <Descriptions.Item label="发起时间">{formatTime(s.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="报告期限">{s.dueDate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="督办事项" span={2}>
            <span className="xf-office-pre">{s.problem}</span>
          </Descriptions.Item>
          <Descriptions.Item label="涉及信访件" span={2}>
            <Space orientation="vertical" size={2}>
              {s.cases.map((c) => (
                <span key={c.id}>
                  <Link to={`/office/cases/${c.id}`}>{c.caseNo}</Link> {c.title} <Tag>{c.stateLabel}</Tag>
                </span>
              ))}
            </Space>
          </Descriptions.Item>
          {s.answer && (
            <Descriptions.Item label={`书面报告（${formatTime(s.answeredAt)}）`} span={2}>
              <span className="xf-office-pre" data-testid="supervision-answer">
                {s.answer}
              </span>
            </Descriptions.Item>
          )}
          {s.closedAt && (
            <Descriptions.Item label={s.status === 'escalated' ? '提级理由' : '办结意见'} span={2}>
              {s.closeNote ?? '—'}（{formatTime(s.closedAt)}）
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      {s.allowedActions.includes('answer') && (
        <Card size="small" title="书面报告办理情况" style={{ marginBottom: 12 }}>
          {answerError && <Alert type="error" showIcon title={answerError} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="vertical">
            <TextItem name="text" label="报告内容" rows={5} placeholder="写明查实的情况、已采取的措施和办理结果" required="请填写报告内容" min={10} noun="报告内容" max={5000} />
            <Button type="primary" loading={busy} onClick={() => void answer()}>
              提交报告
            </Button>
          </Form>
        </Card>
      )}

      {(s.allowedActions.includes('close') || s.allowedActions.includes('escalate')) && (
        <Space style={{ marginBottom: 12 }}>
          {s.allowedActions.includes('close') && (
            <Button type="primary" onClick={() => setModal('close')}>
              审核通过，办结
            </Button>
          )}
          {s.allowedActions.includes('return') && <Button onClick={() => setModal('return')}>退回重办</Button>}
          {s.allowedActions.includes('escalate') && (
            <Button danger onClick={() => setModal('escalate')}>
              提级督办
            </Button>
          )}
        </Space>
      )}

      {modal === 'close' && (
        <PromptModal
          title="办结督办件"
          okText="确认办结"
          text={{ name: 'note', label: '办结意见', max: 2000, required: false, placeholder: '选填' }}
          onCancel={() => setModal(null)}
          onSubmit={async (v) => {
            setS(await api.post<Supervision>(`/api/office/supervisions/${s.id}/close`, v.note ? { note: v.note } : {}));
            setModal(null);
            void message.success('督办件已办结');
          }}
        />
      )}
      {modal === 'return' && (
        <PromptModal
          title="退回重办"
          okText="退回重办"
          intro={<Typography.Paragraph type="secondary">被督办单位须在新的期限前重新书面报告；本次报告和退回理由都保留在办理经过中。</Typography.Paragraph>}
          text={{ name: 'reason', label: '退回理由', min: 5, max: 2000, placeholder: '写明报告哪些方面不充分、需要补充查实什么' }}
          date={{ name: 'dueDate', label: '新的报告期限', initial: beijingDate(5) }}
          onCancel={() => setModal(null)}
          onSubmit={async (v) => {
            setS(await api.post<Supervision>(`/api/office/supervisions/${s.id}/return`, { reason: v.reason, dueDate: v.dueDate }));
            setModal(null);
            void message.success('已退回重办');
          }}
        />
      )}
      {modal === 'escalate' && (
        <PromptModal
          title="提级督办"
          okText="提请上一级督办"
          danger
          intro={<Typography.Paragraph type="secondary">上一级信访部门将对同一单位、同一批信访件另行督办；本督办件标为“已提级”。</Typography.Paragraph>}
          text={{ name: 'reason', label: '提级理由', min: 5, max: 2000 }}
          date={{ name: 'dueDate', label: '新的报告期限', initial: beijingDate(7) }}
          onCancel={() => setModal(null)}
          onSubmit={async (v) => {
            const r = await api.post<{ toUnitName: string }>(`/api/office/supervisions/${s.id}/escalate`, { reason: v.reason, dueDate: v.dueDate });
            setModal(null);
            void message.success(`已提请${r.toUnitName}督办`);
            await load();
          }}
        />
      )}
      {s.history && s.history.length > 0 && <SupervisionHistory steps={s.history} />}
      <Button type="link" onClick={() => void navigate('/office/supervisions')}>
        返回督办件列表
      </Button>
    </article>
  );
}

const stepColors: Record<string, string> = { supervision_returned: 'orange', supervision_reminded: 'red', supervision_closed: 'green', supervision_escalated: 'magenta', supervision_answered: 'blue' };

/** 办理经过: every answer, send-back, reminder and decision of the 督办件, oldest first. */
function SupervisionHistory({ steps }: { steps: SupervisionStep[] }) {
  return (
    <Card size="small" title="办理经过" style={{ marginBottom: 12 }} data-testid="supervision-history">
      <Timeline
        items={steps.map((h) => ({
          key: h.seq,
          color: stepColors[h.type] ?? 'gray',
          content: (
            <div>
              <Typography.Text strong>{h.label}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {formatTime(h.at)}
                {h.actorUnitName ? ` · ${h.actorUnitName}` : ''}
                {h.dueDate && h.type !== 'supervision_reminded' ? ` · 报告期限 ${h.dueDate}` : ''}
              </Typography.Text>
              {h.text && <div className="xf-office-pre">{h.text}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
