/** 信访件详情: content, attachments, masked petitioners (unmask with a reason), deadlines, timeline, related cases, and the allowed actions. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Empty, List, Result, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { EyeOutlined, FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { api, ApiError, errorMessage } from '../shared/api';
import { useSession } from '../shared/session';
import { TypicalProposeCard } from './supervision-b/TypicalProposeCard';
import { useOfficeData } from './data';
import { ActionModal } from './ActionModal';
import { PromptModal } from './PromptModal';
import { CaseSupervisions } from './supervision/CaseSupervisions';
import { SunshinePanel } from './SunshinePanel';
import { SplitLinkButton, SplitMessageButton, useRepeatLinks, type RepeatLink } from './RepeatSplit';
import { actionLabels, actionOrder, assignmentStatusLabels, channelLabels, countdown, evaluationLabels, fileSize, formatTime, purposeLabels, stateColors } from './labels';
import type { Attachment, CaseDetail, CaseDocument, RelatedCase, StaffAction, TimelineEntry, Unmasked } from './types';

function AttachmentLink({ caseId, a }: { caseId: string; a: Attachment }) {
  return (
    <a href={`/api/office/cases/${caseId}/attachments/${a.id}`} target="_blank" rel="noreferrer">
      {a.mime === 'application/pdf' ? <FilePdfOutlined /> : <PaperClipOutlined />} {a.filename}
    </a>
  );
}

function str(p: Record<string, unknown> | undefined, k: string): string | null {
  const v = p?.[k];
  return typeof v === 'string' && v ? v : null;
}

/** Events whose payload.reason is text a person wrote (not a code). */
const reasonEvents = new Set(['returned', 'pii_unmasked', 'extension_requested', 'review_requested', 'withdrawn']);

function TimelineBody({ e, c, split }: { e: TimelineEntry; c: CaseDetail; split?: { link: RepeatLink; onDone(): void } | undefined }) {
  const p = e.payload;
  const ids = Array.isArray(p?.attachmentIds) ? (p.attachmentIds as string[]) : [];
  const files = c.attachments.filter((a) => ids.includes(a.id));
  const reason = str(p, 'reason');
  const extras: string[] = [];
  if (e.type === 'extension_requested' && typeof p?.days === 'number') extras.push(`申请延长 ${p.days} 日`);
  if (e.type === 'rejected' && str(p, 'guidance')) extras.push(`引导渠道：${str(p, 'guidance')}`);
  if (e.type === 'rejected' && str(p, 'explanation')) extras.push(`说明：${str(p, 'explanation')}`);
  return (
    <div className={e.visibility === 'internal' ? 'xf-office-internal' : undefined}>
      <Space size={6} wrap>
        <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatTime(e.at)}
        </Typography.Text>
        <Typography.Text strong>{e.label}</Typography.Text>
        {e.visibility === 'internal' && <Tag color="orange">内部</Tag>}
        {e.actorUnitName && <Typography.Text type="secondary">{e.actorUnitName}</Typography.Text>}
        {e.actorKind === 'citizen' && <Typography.Text type="secondary">信访人</Typography.Text>}
      </Space>
      {e.summary !== e.label && <div>{e.summary}</div>}
      {extras.map((x) => (
        <div key={x}>{x}</div>
      ))}
      {reason && reasonEvents.has(e.type) && <div>理由：{reason}</div>}
      {e.text && <p className="xf-office-pre" style={{ marginTop: 4 }}>{e.text}</p>}
      {e.comment && <p className="xf-office-pre">评价意见：{e.comment}</p>}
      {files.map((a) => (
        <div key={a.id}>
          <AttachmentLink caseId={c.id} a={a} />
        </div>
      ))}
      {e.type === 'message' && p?.repeat === true && <Tag color="purple">重复反映（信访人称同一事项）</Tag>}
      {split && <SplitMessageButton caseId={c.id} link={split.link} onDone={split.onDone} />}
    </div>
  );
}

function UnmaskModal({ caseId, onDone, onCancel }: { caseId: string; onDone(u: Unmasked): void; onCancel(): void }) {
  return (
    <PromptModal
      title="查看完整个人信息"
      okText="确认查看"
      intro={<Alert type="warning" showIcon title="查看信访人完整个人信息将记录在案（查看人、时间、理由），请仅在工作确需时查看。" style={{ marginBottom: 12 }} />}
      text={{ name: 'reason', label: '查看理由', min: 4, max: 500, rows: 3, placeholder: '如：电话回访核实诉求' }}
      onSubmit={async (v) => onDone(await api.post<Unmasked>(`/api/office/cases/${caseId}/unmask`, { reason: v.reason }))}
      onCancel={onCancel}
    />
  );
}

export function CasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const { catalog, refreshCounts } = useOfficeData();
  const { message } = App.useApp();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [related, setRelated] = useState<RelatedCase[] | null>(null);
  const [documents, setDocuments] = useState<CaseDocument[] | null>(null);
  const [action, setAction] = useState<StaffAction | null>(null);
  const [unmasking, setUnmasking] = useState(false);
  const [unmasked, setUnmasked] = useState<Unmasked | null>(null);
  const canSplit = me?.permissions.includes('case.merge') ?? false;
  const repeats = useRepeatLinks(id, canSplit);

  const load = useCallback(async () => {
    try {
      const d = await api.get<CaseDetail>(`/api/office/cases/${id}`);
      setC(d);
      setFailure(null);
      // Official documents (文书) are generated by the actions; an installation without them shows none.
      api
        .get<{ items: CaseDocument[] }>(`/api/office/cases/${id}/documents`)
        .then((r) => setDocuments(r.items))
        .catch(() => setDocuments(null));
    } catch (e) {
      setFailure(e instanceof ApiError ? e : new ApiError(0, 'network', errorMessage(e)));
    }
  }, [id]);

  useEffect(() => {
    setC(null);
    setFailure(null);
    setRelated(null);
    setUnmasked(null);
    void load();
    api
      .get<{ items: RelatedCase[] }>(`/api/office/cases/${id}/related`)
      .then((r) => setRelated(r.items))
      .catch(() => setRelated([]));
  }, [id, load]);

  if (failure) {
    const notFound = failure.status === 404 || failure.status === 400;
    return (
      <Result
        status={notFound ? '404' : failure.status === 403 ? '403' : 'error'}
        title={<h2 style={{ fontSize: 20, margin: 0 }}>{notFound ? '未找到该信访件，或您无权查看' : '无法打开该信访件'}</h2>}
        subTitle={notFound ? '该信访件不在您单位的辖区内，或编号有误。' : failure.message}
        extra={
          <Link to="/office">
            <Button type="primary">返回工作台</Button>
          </Link>
        }
      />
    );
  }
  if (!c) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

  const actions = actionOrder.filter((a) => c.allowedActions.includes(a));
  const primary = actions.find((a) => a !== 'note' && a !== 'urge' && a !== 'supervise' && a !== 'merge' && a !== 'unmerge');
  const targetName = catalog?.targets.find((t) => t.code === c.target)?.name ?? c.target;
  const canUnmask = me?.permissions.includes('case.unmask_pii') ?? false;
  const person = unmasked?.petitioner ?? c.petitioner;
  const co = unmasked?.coPetitioners ?? c.coPetitioners;

  const splitFor = (e: TimelineEntry) => {
    const link = repeats.links.find((l) => l.decision === 'same' && l.messageSeq === e.seq && l.staffVerdict === null);
    return link
      ? {
          link,
          onDone: () => {
            repeats.reload();
            void load();
            refreshCounts();
          },
        }
      : undefined;
  };
  const canPublish = me?.permissions.includes('case.publish') ?? false;

  const afterAction = (text: string, ok: boolean) => {
    setAction(null);
    if (ok) void message.success(text);
    else void message.warning(text, 6);
    void load();
    refreshCounts();
  };

  return (
    <article aria-labelledby="case-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/office">工作台</Link> }, { title: '信访件详情' }]} />
      <Space align="start" style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <div>
          <h2 id="case-title" className="xf-office-page-title" style={{ marginBottom: 4 }}>
            {c.title}
          </h2>
          <Space size={6} wrap>
            <Tag>{c.caseNo}</Tag>
            <Tag color={stateColors[c.state]} data-testid="case-state">
              {c.stateLabel}
            </Tag>
            {c.supervised && <Tag color="red">督办件</Tag>}
            {c.isDenunciation && <Tag color="magenta">检举揭发件（不得交被检举单位）</Tag>}
            <Tag color="default">{channelLabels[c.channel] ?? c.channel}</Tag>
          </Space>
        </div>
      </Space>

      <Card size="small" style={{ margin: '12px 0' }} title="可执行的办理操作">
        {actions.length === 0 ? (
          <Typography.Text type="secondary">当前没有您可以执行的办理操作。</Typography.Text>
        ) : (
          <div className="xf-office-actions" role="toolbar" aria-label="办理操作">
            {actions.map((a) => (
              <Button key={a} type={a === primary ? 'primary' : 'default'} danger={a === 'reject' || a === 'return'} onClick={() => setAction(a)}>
                {actionLabels[a]}
              </Button>
            ))}
          </div>
        )}
      </Card>

      <CaseSupervisions caseId={c.id} caseNo={c.caseNo} caseTitle={c.title} currentUnitId={c.currentUnitId} canOpen={me?.permissions.includes('case.supervise') ?? false} onChanged={() => void load()} />

      {c.pendingExtension && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`承办单位申请延期 ${c.pendingExtension.days} 日，待批准`} description={`理由：${c.pendingExtension.reason}`} />}
      {c.mergedInto && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <span>
              本件已并入 <Link to={`/office/cases/${c.mergedInto}`}>另一信访件</Link> 合并办理
            </span>
          }
        />
      )}
      {c.repeatOf && !c.mergedInto && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <span>
              可能是重复信访：与 <Link to={`/office/cases/${c.repeatOf.caseId}`}>{c.repeatOf.caseNo}</Link> 相似（相似度 {c.repeatOf.similarity}），信访人确认为新事项。可用“合并”并入原件，或确认不是同一事项（拆分）。
            </span>
          }
          action={canSplit ? <SplitLinkButton caseId={c.id} linkId={c.repeatOf.linkId} onDone={() => void load()} /> : undefined}
        />
      )}
      {c.dueDates.uncoveredYears.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`期限跨入尚无节假日数据的年份（${c.dueDates.uncoveredYears.join('、')}），已按普通工作日计算，请核对。`} />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title="信访事项" size="small">
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label="问题类别">{c.category}</Descriptions.Item>
                <Descriptions.Item label="问题属地">{c.regionName}</Descriptions.Item>
                <Descriptions.Item label="投诉对象">{targetName}</Descriptions.Item>
                <Descriptions.Item label="当前单位">{c.currentUnitName}</Descriptions.Item>
                <Descriptions.Item label="登记时间">{formatTime(c.submittedAt)}</Descriptions.Item>
                <Descriptions.Item label="信访人评价">{c.evaluation ? evaluationLabels[c.evaluation] : '—'}</Descriptions.Item>
                <Descriptions.Item label="同意公开">{c.publicConsent ? '是' : '否'}</Descriptions.Item>
                <Descriptions.Item label="复查/复核">{c.reviewLevel === 0 ? '—' : c.reviewLevel === 1 ? '复查' : '复核'}</Descriptions.Item>
              </Descriptions>
              <Typography.Title level={3} style={{ fontSize: 15, marginTop: 12 }}>
                诉求内容
              </Typography.Title>
              <p className="xf-office-pre">{c.content}</p>
            </Card>

            <Card title={`附件（${c.attachments.length}）`} size="small">
              {c.attachments.length === 0 ? (
                <Typography.Text type="secondary">无附件</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={c.attachments}
                  renderItem={(a) => (
                    <List.Item>
                      <Space wrap>
                        <AttachmentLink caseId={c.id} a={a} />
                        <Tag>{purposeLabels[a.purpose] ?? a.purpose}</Tag>
                        <Typography.Text type="secondary">
                          {fileSize(a.size)} · {formatTime(a.createdAt)}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              )}
            </Card>

            {documents && documents.length > 0 && (
              <Card title={`文书（${documents.length}）`} size="small">
                <List
                  size="small"
                  dataSource={documents}
                  renderItem={(d) => (
                    <List.Item>
                      <Space wrap>
                        <a href={d.downloadUrl}>
                          <FilePdfOutlined /> {d.title}
                        </a>
                        <Typography.Text>{d.docNo}</Typography.Text>
                        <Typography.Text type="secondary">
                          {d.unitName} · {d.issuedDate}
                        </Typography.Text>
                        {d.audience === 'unit' && <Tag color="orange">内部</Tag>}
                        {d.petitionerSigns && (d.signedAt ? <Tag color="success">信访人已签署</Tag> : d.superseded ? <Tag>已被取代</Tag> : <Tag color="gold">待信访人签署</Tag>)}
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            )}

            {c.assignments.length > 0 && (
              <Card title="交办转送记录" size="small">
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  scroll={{ x: 640 }}
                  dataSource={c.assignments}
                  columns={[
                    { title: '承办单位', dataIndex: 'unitName' },
                    { title: '方式', dataIndex: 'kind', render: (k: string) => (k === 'assign' ? '交办' : '转送') },
                    { title: '状态', dataIndex: 'status', render: (s: string) => assignmentStatusLabels[s] ?? s },
                    { title: '交办时间', dataIndex: 'assignedAt', render: (v: string) => formatTime(v) },
                    { title: '答复期限', dataIndex: 'dueDate' },
                    { title: '退回理由', dataIndex: 'returnReason', render: (v: string | null) => v ?? '—' },
                  ]}
                />
              </Card>
            )}

            <Card title="办理过程（含内部记录）" size="small">
              <Timeline
                items={c.timeline.map((e) => ({
                  key: e.seq,
                  color: e.visibility === 'internal' ? '#fa8c16' : e.type === 'rejected' ? '#cf1322' : e.type === 'replied' || e.type === 'closed' ? '#389e0d' : '#1677ff',
                  content: <TimelineBody e={e} c={c} split={splitFor(e)} />,
                }))}
              />
            </Card>
          </Space>
        </Col>

        <Col xs={24} lg={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title="办理期限" size="small">
              {c.deadlines.length === 0 ? (
                <Typography.Text type="secondary">当前无待办期限</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={c.deadlines}
                  renderItem={(d) => {
                    const cd = countdown(d);
                    return (
                      <List.Item>
                        <Space orientation="vertical" size={0}>
                          <Typography.Text type="secondary">{d.label}</Typography.Text>
                          <Space>
                            <Typography.Text strong style={{ fontSize: 16 }}>
                              {d.due}
                            </Typography.Text>
                            <Tag color={cd.color}>{cd.text}</Tag>
                          </Space>
                        </Space>
                      </List.Item>
                    );
                  }}
                />
              )}
              {c.extensionDays > 0 && <Typography.Text type="secondary">已批准延期 {c.extensionDays} 日</Typography.Text>}
            </Card>

            <Card
              title="信访人"
              size="small"
              extra={
                canUnmask && !unmasked ? (
                  <Button size="small" icon={<EyeOutlined />} onClick={() => setUnmasking(true)}>
                    查看完整信息
                  </Button>
                ) : unmasked ? (
                  <Tag color="orange">完整信息（已留痕）</Tag>
                ) : null
              }
            >
              <Descriptions column={1} size="small">
                <Descriptions.Item label="姓名">{person.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="手机">{person.phone ?? '—'}</Descriptions.Item>
                {unmasked?.petitioner.idNumber && <Descriptions.Item label="身份证号">{unmasked.petitioner.idNumber}</Descriptions.Item>}
                <Descriptions.Item label="地址">{person.address ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="实名注册">{c.petitioner.registered ? '是' : '否（工作人员代录）'}</Descriptions.Item>
              </Descriptions>
              {co.length > 0 && (
                <>
                  <Typography.Text strong>联名信访人（{co.length} 人）</Typography.Text>
                  <List
                    size="small"
                    dataSource={co}
                    renderItem={(x) => (
                      <List.Item>
                        {x.name} {x.phone ?? ''} {x.representative && <Tag color="blue">代表</Tag>}
                      </List.Item>
                    )}
                  />
                </>
              )}
              {!canUnmask && <Typography.Text type="secondary">个人信息已脱敏显示。</Typography.Text>}
            </Card>

            {me?.permissions.includes('typical.propose') && <TypicalProposeCard caseId={c.id} />}
            {canPublish && <SunshinePanel caseId={c.id} version={c.headHash} onChanged={() => void load()} />}

            <Card title="该信访人的其他信访件" size="small">
              {related === null ? (
                <Spin />
              ) : related.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="无其他信访件" />
              ) : (
                <List
                  size="small"
                  dataSource={related}
                  renderItem={(r) => (
                    <List.Item>
                      <Space orientation="vertical" size={0}>
                        <Link to={`/office/cases/${r.id}`}>
                          {r.caseNo} {r.title}
                        </Link>
                        <Space size={4} wrap>
                          <Tag color={stateColors[r.state]}>{r.stateLabel}</Tag>
                          {r.earlier && <Tag>更早</Tag>}
                          <Tag color={r.similarity >= 0.3 ? 'red' : 'default'}>相似度 {Math.round(r.similarity * 100)}%</Tag>
                          <Typography.Text type="secondary">{formatTime(r.submittedAt)}</Typography.Text>
                        </Space>
                      </Space>
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Space>
        </Col>
      </Row>

      {action && (
        <ActionModal
          key={action}
          c={c}
          action={action}
          onCancel={() => setAction(null)}
          onDone={(text) => afterAction(text, true)}
          onRefused={(text) => afterAction(text, false)}
        />
      )}
      {unmasking && (
        <UnmaskModal
          caseId={c.id}
          onCancel={() => setUnmasking(false)}
          onDone={(u) => {
            setUnmasking(false);
            setUnmasked(u);
            void load();
          }}
        />
      )}
    </article>
  );
}
