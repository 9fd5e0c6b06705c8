/**
 * One form per staff action (POST /api/office/cases/{id}/actions/{action}). Forms validate before
 * sending; a 409/403 (someone else acted first, or the case moved on) closes the form with a clear
 * message and the case page reloads.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Form, InputNumber, Modal, Radio, Select, Space, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, ApiError, errorMessage } from '../shared/api';
import { applyFieldErrors, validateForm } from '../shared/form-errors';
import { useOfficeData } from './data';
import { actionLabels } from './labels';
import { UnitPicker } from './UnitPicker';
import { TextItem } from '../shared/TextItem';
import type { CaseDetail, DuePreview, QueueResult, StaffAction } from './types';
import { actionFields } from '../../../src/domain/action-fields';

interface Props {
  c: CaseDetail;
  action: StaffAction;
  onDone(message: string): void;
  /** The server refused because the case changed or the user may not: show why and reload. */
  onRefused(message: string): void;
  onCancel(): void;
}

type Values = Record<string, unknown>;

const returnReasons = ['不属于本单位职责范围', '涉及多个部门，应由牵头单位办理', '信访事项内容不清，无法核查办理', '属于上级机关职权范围'];

/** The form fields of each action (the server's own list), to put its field errors where they belong; reply's attachments are the upload list, not a form field. */
const fieldNames = Object.fromEntries(Object.entries(actionFields).map(([a, f]) => [a, Object.keys(f).filter((k) => k !== 'attachmentIds')])) as Record<StaffAction, string[]>;

const done: Partial<Record<StaffAction, string>> = {
  accept: '已受理，已告知信访人',
  reject: '已作出不予受理决定，并告知信访人应当反映的渠道',
  assign: '已交办',
  forward: '已转送',
  sign: '已签收',
  return: '已退回交办机关',
  urge: '已催办',
  supervise: '已督办',
  'request-extension': '延期申请已提交，待批准',
  reply: '答复已送达信访人',
  merge: '已合并办理',
  unmerge: '已撤销合并，本件恢复办理',
  close: '已办结',
  note: '批注已保存',
};

function DueNote({ c }: { c: CaseDetail }) {
  const [p, setP] = useState<DuePreview | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<DuePreview>(`/api/office/cases/${c.id}/due-preview`)
      .then(setP)
      .catch((e: unknown) => setErr(errorMessage(e)));
  }, [c.id]);
  if (err) return <Alert type="warning" showIcon title={err} />;
  if (!p) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title="按工作日历计算的期限"
      description={
        <div>
          <div>
            退回异议期限：<strong>{p.dueReturn}</strong>（收到后 {p.returnClock.days} 个{p.returnClock.kind === 'working' ? '工作日' : '日'}内可退回）
          </div>
          <div>
            办理答复期限：<strong>{p.dueReply}</strong>（{p.handlingClock.source}）
          </div>
          {p.uncoveredYears.length > 0 && <div style={{ color: '#cf1322' }}>注意：{p.uncoveredYears.join('、')} 年尚无法定节假日数据，期限按普通工作日计算，请核对。</div>}
        </div>
      }
    />
  );
}

function MergeTarget({ c, value, onChange }: { c: CaseDetail; value?: string; onChange?: (v: string) => void }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const search = (q: string) => {
    window.clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = window.setTimeout(() => {
      setLoading(true);
      api
        .get<QueueResult>(`/api/office/cases?q=${encodeURIComponent(q.trim())}&pageSize=10&sort=submitted`)
        .then((r) =>
          setOptions(
            r.items
              .filter((i) => i.id !== c.id)
              .map((i) => ({ value: i.id, label: `${i.caseNo} ${i.title}（${i.stateLabel}，${i.submittedAt.slice(0, 10)}）` })),
          ),
        )
        .catch(() => setOptions([]))
        .finally(() => setLoading(false));
    }, 250);
  };
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={onChange}
      options={options}
      loading={loading}
      placeholder="输入信访件编号（如 XF2026-000001）或关键词检索"
      notFoundContent={loading ? '检索中…' : '请输入编号或关键词'}
    />
  );
}

export function ActionModal({ c, action, onDone, onRefused, onCancel }: Props) {
  const [form] = Form.useForm<Values>();
  const { catalog } = useOfficeData();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const guidance = Form.useWatch('guidanceChannel', form) as string | undefined;
  const guidanceText = useMemo(() => catalog?.guidanceChannels.find((g) => g.code === guidance)?.text, [catalog, guidance]);
  const label = actionLabels[action];

  const submit = async () => {
    let v: Values;
    try {
      v = await validateForm(form);
    } catch {
      return;
    }
    if (files.some((f) => f.status === 'uploading')) {
      setError('附件仍在上传，请稍候');
      return;
    }
    const body: Values = { ...v };
    if (action === 'reply') body.attachmentIds = files.filter((f) => f.status === 'done').map((f) => (f.response as { id: string }).id);
    if (action === 'approve-extension') body.approve = v.approve === 'yes';
    for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === '') delete body[k];
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/office/cases/${c.id}/actions/${action}`, body);
      onDone(action === 'approve-extension' ? (body.approve ? '已批准延期，已告知信访人' : '已不予批准延期') : (done[action] ?? '操作成功'));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 403 || e.status === 404)) {
        onRefused(e.status === 409 ? `${e.message}。该件可能已由他人处理，页面已刷新。` : e.message);
        return;
      }
      const names = fieldNames[action];
      if (!applyFieldErrors(form, e, {}, (path) => names.includes(String(path[0])))) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const reviewNoun = c.reviewLevel >= 2 ? '复核意见' : '复查意见';

  const fields = () => {
    switch (action) {
      case 'accept':
        return (
          <>
            <Typography.Paragraph>确认受理后，系统将告知信访人，并按办理期限开始计时。</Typography.Paragraph>
            <TextItem name="note" label="受理意见" rows={3} placeholder="选填" max={1000} />
          </>
        );
      case 'reject':
        return (
          <>
            <Form.Item name="reasonCode" label="不予受理理由" rules={[{ required: true, message: '请选择不予受理理由' }]}>
              <Select placeholder="请选择" options={(catalog?.rejectReasons ?? []).map((r) => ({ value: r.code, label: r.name }))} />
            </Form.Item>
            <Form.Item name="guidanceChannel" label="引导信访人向以下渠道反映" rules={[{ required: true, message: '请选择应当反映的渠道' }]} extra={guidanceText}>
              <Select placeholder="请选择" options={(catalog?.guidanceChannels ?? []).map((g) => ({ value: g.code, label: g.name }))} />
            </Form.Item>
            <TextItem name="explanation" label="补充说明" rows={3} placeholder="选填，将告知信访人" max={2000} />
          </>
        );
      case 'assign':
      case 'forward':
        return (
          <>
            <Typography.Paragraph type="secondary">
              {action === 'assign' ? '交办：重要、具体的事项以交办函交有权处理的单位办理，全程跟踪（一盯到底）。' : '转送：一般事项转送有权处理的单位（通常为下级）办理。'}
            </Typography.Paragraph>
            <Form.Item name="unitId" label="承办单位" rules={[{ required: true, message: '请选择承办单位' }]}>
              <UnitPicker assignableOnly placeholder="展开单位树选择承办单位，可输入名称检索" />
            </Form.Item>
            <DueNote c={c} />
            <TextItem name="instructions" label={action === 'assign' ? '交办意见' : '转送意见'} rows={3} placeholder="选填，如：请依法核查处理，按期答复" max={2000} />
          </>
        );
      case 'sign':
        return (
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="办理答复期限">{c.dueDates.reply ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="退回异议期限">{c.dueDates.returnWindow ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="说明">签收后由本单位办理并在期限内答复；如不属于本单位职责，请在退回异议期限内退回并写明理由。</Descriptions.Item>
          </Descriptions>
        );
      case 'return':
        return (
          <>
            <Form.Item label="常用理由">
              <Space wrap>
                {returnReasons.map((r) => (
                  <Button key={r} size="small" onClick={() => form.setFieldValue('reason', r)}>
                    {r}
                  </Button>
                ))}
              </Space>
            </Form.Item>
            <TextItem name="reason" label="退回理由" rows={4} placeholder="写明不属于本单位办理的理由，以及建议的承办单位" required="请写明退回理由" min={5} noun="退回理由" max={2000} />
          </>
        );
      case 'urge':
      case 'supervise':
        return (
          <TextItem
            name="message"
            label={`${label}意见`}
            rows={4}
            placeholder={action === 'urge' ? '如：该件即将到期，请抓紧办理并按期答复' : '如：请于 5 个工作日内报送办理情况'}
            required={`请填写${label}意见`}
            max={2000}
          />
        );
      case 'request-extension':
        return (
          <>
            <Typography.Paragraph type="secondary">
              延期须在办理期限（{c.dueDates.reply ?? '—'}）届满前申请，经本单位负责人批准，最长延长 30 日（已延长 {c.extensionDays} 日）。
            </Typography.Paragraph>
            <Form.Item name="days" label="延长天数" rules={[{ required: true, message: '请填写延长天数' }]}>
              <InputNumber min={1} max={Math.max(1, 30 - c.extensionDays)} precision={0} addonAfter="日" style={{ width: 160 }} />
            </Form.Item>
            <TextItem name="reason" label="延期理由" rows={4} placeholder="理由将告知信访人" required="请写明延期理由" min={5} noun="延期理由" max={2000} />
          </>
        );
      case 'approve-extension':
        return (
          <>
            {c.pendingExtension && (
              <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
                <Descriptions.Item label="申请延长">{c.pendingExtension.days} 日</Descriptions.Item>
                <Descriptions.Item label="理由">{c.pendingExtension.reason}</Descriptions.Item>
                <Descriptions.Item label="现办理期限">{c.dueDates.reply ?? '—'}</Descriptions.Item>
              </Descriptions>
            )}
            <Form.Item name="approve" label="审批结果" rules={[{ required: true, message: '请选择是否批准' }]}>
              <Radio.Group
                options={[
                  { value: 'yes', label: '批准延期' },
                  { value: 'no', label: '不予批准' },
                ]}
              />
            </Form.Item>
            <TextItem name="note" label="审批意见" rows={3} placeholder="选填" max={1000} />
          </>
        );
      case 'reply':
        return (
          <>
            <TextItem
              name="text"
              label="答复意见"
              rows={8}
              placeholder="写明查明的事实、处理意见及依据"
              extra="答复送达后，信访人可在 30 日内申请复查。"
              required="请填写答复意见"
              min={10}
              noun="答复意见"
              max={20000}
            />
            <Form.Item label="答复附件（PDF 或图片，如处理意见书）">
              <Upload
                accept=".pdf,.jpg,.jpeg,.png,.webp,.gif,application/pdf,image/*"
                fileList={files}
                onChange={({ fileList }) => setFiles(fileList)}
                customRequest={({ file, onSuccess, onError }) => {
                  const fd = new FormData();
                  fd.append('file', file as File);
                  api
                    .upload<{ id: string }>(`/api/office/cases/${c.id}/attachments`, fd)
                    .then((r) => onSuccess?.(r))
                    .catch((e: unknown) => {
                      setError(`附件上传失败：${errorMessage(e)}`);
                      onError?.(e instanceof Error ? e : new Error(errorMessage(e)));
                    });
                }}
              >
                <Button icon={<UploadOutlined />}>选择文件上传</Button>
              </Upload>
            </Form.Item>
          </>
        );
      case 'review-decision':
        return (
          <>
            <Typography.Paragraph type="secondary">{c.reviewLevel >= 2 ? '复核意见作出后，该信访事项终结。' : '复查意见送达后，信访人可在 30 日内申请复核。'}</Typography.Paragraph>
            <Form.Item name="outcome" label="结论" rules={[{ required: true, message: '请选择维持或变更原处理意见' }]}>
              <Radio.Group
                options={[
                  { value: 'upheld', label: '维持原处理意见' },
                  { value: 'changed', label: '变更原处理意见' },
                ]}
              />
            </Form.Item>
            <TextItem name="text" label={reviewNoun} rows={6} required={`请填写${reviewNoun}`} min={10} noun={reviewNoun} max={20000} />
          </>
        );
      case 'merge':
        return (
          <>
            <Typography.Paragraph type="secondary">将本件并入更早登记、尚在办理中的同一事项信访件，本件随之办结。</Typography.Paragraph>
            <Form.Item name="intoCaseId" label="并入信访件" rules={[{ required: true, message: '请选择要并入的信访件' }]}>
              <MergeTarget c={c} />
            </Form.Item>
          </>
        );
      case 'unmerge':
        return (
          <>
            <Typography.Paragraph type="secondary">
              撤销本件与所并入信访件的合并：本件恢复到合并前的办理状态，原承办单位继续办理，期限不变。信访人可在查询页看到本件已恢复单独办理（不含理由）。
            </Typography.Paragraph>
            <TextItem
              name="reason"
              label="撤销合并的理由（仅工作人员可见）"
              rows={3}
              placeholder="如：经核实，两件反映的不是同一事项"
              required="请写明撤销合并的理由"
              min={5}
              noun="理由"
              max={2000}
            />
          </>
        );
      case 'close':
        return <Typography.Paragraph>确认办结本件？办结后不再进行办理操作。</Typography.Paragraph>;
      case 'note':
        return (
          <TextItem name="text" label="批注内容（仅工作人员可见）" rows={4} required="请填写批注内容" max={5000} />
        );
    }
  };

  return (
    <Modal
      open
      title={`${label} — ${c.caseNo}`}
      okText={action === 'approve-extension' ? '提交审批' : `确认${label}`}
      cancelText="取消"
      okButtonProps={{ danger: action === 'reject' || action === 'return' }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onCancel}
      destroyOnHidden
      width={action === 'reply' ? 720 : 560}
      mask={{ closable: false }}
    >
      <Typography.Paragraph strong>{c.title}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" preserve={false}>
        {fields()}
      </Form>
    </Modal>
  );
}
