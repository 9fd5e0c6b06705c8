/**
 * 阳光信访公开 on the case page, for holders of case.publish in the receiving unit's jurisdiction:
 * the petitioner's consent, whether the case can be published, the machine-redacted text to check
 * and edit, publish / re-publish, and withdrawal with a reason (GET publication, POST publish / unpublish).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { api, ApiError, errorMessage } from '../shared/api';
import { applyFieldErrors, validateForm } from '../shared/form-errors';
import { formatTime } from './labels';
import { PromptModal } from './PromptModal';

interface Publication {
  status: 'published' | 'withdrawn';
  title: string;
  content: string;
  answer: string;
  answerUnitName: string | null;
  revision: number;
  publishedAt: string;
  updatedAt: string;
}

interface Draft {
  eligible: boolean;
  problem: string | null;
  publicConsent: boolean;
  draft: { title: string; content: string; answer: string };
  publication: Publication | null;
}

interface PublishValues {
  title: string;
  content: string;
  answer: string;
  nameCheckOverride?: boolean;
}

function PublishModal({ caseId, initial, onDone, onCancel }: { caseId: string; initial: PublishValues; onDone(): void; onCancel(): void }) {
  const [form] = Form.useForm<PublishValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let v: PublishValues;
    try {
      v = await validateForm(form);
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/office/cases/${caseId}/publish`, { title: v.title.trim(), content: v.content.trim(), answer: v.answer.trim(), ...(v.nameCheckOverride ? { nameCheckOverride: true } : {}) });
      onDone();
    } catch (e) {
      applyFieldErrors(form, e);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open width={760} title="在阳光信访公开" okText="确认公开" cancelText="取消" confirmLoading={busy} onOk={() => void submit()} onCancel={onCancel} destroyOnHidden>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="以下文字已自动去除信访人姓名、身份证号码、手机号码和地址。请逐字核对，删除其他能识别个人的内容后再公开。"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="title" label="公开标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { min: 4, message: '标题至少 4 个字' }, { max: 100, message: '标题不能超过 100 个字' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="content" label="诉求内容（去除个人信息）" rules={[{ required: true, whitespace: true, message: '请填写诉求内容' }, { min: 10, message: '诉求内容至少 10 个字' }, { max: 5000, message: '不能超过 5000 个字' }]}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="answer" label="答复内容（去除个人信息）" rules={[{ required: true, whitespace: true, message: '请填写答复内容' }, { min: 10, message: '答复内容至少 10 个字' }, { max: 20000, message: '不能超过 20000 个字' }]}>
          <Input.TextArea rows={6} />
        </Form.Item>
        <Form.Item name="nameCheckOverride" valuePropName="checked" extra="仅当系统把地名等误认为信访人姓名时勾选">
          <Checkbox>文中与信访人姓名相同的文字并非指信访人</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function UnpublishModal({ caseId, onDone, onCancel }: { caseId: string; onDone(): void; onCancel(): void }) {
  return (
    <PromptModal
      title="撤回阳光信访公开"
      okText="确认撤回"
      danger
      text={{ name: 'reason', label: '撤回理由', max: 1000, rows: 3, placeholder: '如：信访人撤回公开同意；发现仍含有个人信息' }}
      onSubmit={async (v) => {
        await api.post(`/api/office/cases/${caseId}/unpublish`, { reason: v.reason });
        onDone();
      }}
      onCancel={onCancel}
    />
  );
}

/** The panel; renders nothing for a case outside the caller's publishing right. */
export function SunshinePanel({ caseId, version, onChanged }: { caseId: string; version: string; onChanged(): void }) {
  const { message } = App.useApp();
  const [d, setD] = useState<Draft | null>(null);
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [modal, setModal] = useState<'publish' | 'unpublish' | null>(null);
  const load = useCallback(() => {
    api
      .get<Draft>(`/api/office/cases/${caseId}/publication`)
      .then((r) => {
        setD(r);
        setError(null);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) setHidden(true);
        else setError(errorMessage(e));
      });
  }, [caseId]);
  // Reload when the case changes (a reply makes it publishable).
  useEffect(load, [load, version]);
  if (hidden) return null;
  const pub = d?.publication ?? null;
  const published = pub?.status === 'published';
  const done = (text: string) => {
    setModal(null);
    void message.success(text);
    load();
    onChanged();
  };
  return (
    <Card title="阳光信访公开" size="small" data-testid="sunshine-panel">
      {error && <Alert type="error" showIcon title={error} />}
      {d && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label="信访人同意公开">{d.publicConsent ? <Tag color="success">同意</Tag> : <Tag>未同意</Tag>}</Descriptions.Item>
            <Descriptions.Item label="公开状态">
              {published ? (
                <Tag color="blue">已公开（第 {pub.revision} 版）</Tag>
              ) : pub?.status === 'withdrawn' ? (
                <Tag color="orange">已撤回</Tag>
              ) : (
                <Tag>未公开</Tag>
              )}
            </Descriptions.Item>
            {pub && <Descriptions.Item label="公开时间">{formatTime(pub.publishedAt)}</Descriptions.Item>}
            {pub && pub.updatedAt !== pub.publishedAt && <Descriptions.Item label="最近更新">{formatTime(pub.updatedAt)}</Descriptions.Item>}
          </Descriptions>
          {!d.eligible && d.problem && <Alert type="warning" showIcon title={d.problem} />}
          {published && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true, symbol: '展开' }} style={{ marginBottom: 0 }}>
              公开标题：{pub.title}
            </Typography.Paragraph>
          )}
          <Space wrap>
            {d.eligible && (
              <Button type={published ? 'default' : 'primary'} onClick={() => setModal('publish')}>
                {published ? '修改公开内容' : pub ? '重新公开' : '预览并公开'}
              </Button>
            )}
            {published && (
              <Button danger onClick={() => setModal('unpublish')}>
                撤回公开
              </Button>
            )}
          </Space>
        </Space>
      )}
      {modal === 'publish' && d && (
        <PublishModal
          caseId={caseId}
          initial={published ? { title: pub.title, content: pub.content, answer: pub.answer } : d.draft}
          onCancel={() => setModal(null)}
          onDone={() => done('已在阳光信访公开')}
        />
      )}
      {modal === 'unpublish' && <UnpublishModal caseId={caseId} onCancel={() => setModal(null)} onDone={() => done('已撤回公开')} />}
    </Card>
  );
}
