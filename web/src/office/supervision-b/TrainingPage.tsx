/** 学习园地 / 业务规范: the rules this platform implements, readable by all staff, edited by the admin. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Collapse, Form, Input, InputNumber, Modal, Space, Switch, Tag, Typography } from 'antd';
import { api, ApiError, errorMessage } from '../../shared/api';
import { useTour } from './OfficeTour';
import type { TrainingText } from './types';
import { validateForm } from '../../shared/form-errors';

export default function TrainingPage() {
  const { message } = App.useApp();
  const { restart } = useTour();
  const [data, setData] = useState<{ canEdit: boolean; items: TrainingText[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<TrainingText | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ id: string; title: string; source: string; body: string; sort: number; retired: boolean }>();
  const load = useCallback(() => {
    api.get<{ canEdit: boolean; items: TrainingText[] }>('/api/office/training').then(setData).catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  const edit = (t: TrainingText | 'new') => {
    setEditing(t);
    form.setFieldsValue(t === 'new' ? { id: '', title: '', source: '', body: '', sort: 500, retired: false } : { id: t.id, title: t.title, source: t.source, body: t.body, sort: t.sort, retired: t.retired });
  };
  const save = async () => {
    const v = await validateForm(form);
    setBusy(true);
    try {
      await api.put(`/api/office/training/${encodeURIComponent(v.id)}`, { title: v.title, source: v.source, body: v.body, sort: v.sort, retired: v.retired, revision: editing === 'new' || editing === null ? 0 : editing.revision });
      message.success('已保存');
      setEditing(null);
      load();
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) form.setFields(Object.entries(e.fields).map(([name, err]) => ({ name: name as 'id', errors: [err] })));
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          学习园地 · 业务规范
        </Typography.Title>
        <Space>
          <Button onClick={restart}>重新观看新人引导</Button>
          {data?.canEdit && <Button type="primary" onClick={() => edit('new')}>新增规范</Button>}
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">本平台的期限、文书和考核都按以下规定设置。新同志请先通读一遍，办理中遇到疑问可随时回来查阅。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <Collapse
          defaultActiveKey={[data.items[0]?.id ?? '']}
          items={data.items.map((t) => ({
            key: t.id,
            label: (
              <Space>
                <span>{t.title}</span>
                {t.retired && <Tag>已停用</Tag>}
              </Space>
            ),
            extra: data.canEdit ? <Button size="small" onClick={(e) => { e.stopPropagation(); edit(t); }}>编辑</Button> : undefined,
            children: (
              <div>
                {t.body.split('\n').map((p, i) => (
                  <Typography.Paragraph key={i}>{p}</Typography.Paragraph>
                ))}
                <Typography.Text type="secondary">依据：{t.source}{t.updatedAt ? `（${new Date(t.updatedAt).toLocaleDateString('zh-CN')} 修订，第 ${t.revision} 版）` : ''}</Typography.Text>
              </div>
            ),
          }))}
        />
      )}
      <Modal open={editing !== null} title={editing === 'new' ? '新增业务规范' : '编辑业务规范'} okText="保存" cancelText="取消" onOk={() => void save()} onCancel={() => setEditing(null)} confirmLoading={busy} width={760} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="id" label="编号（小写字母、数字、连字符）" rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]{1,47}$/, message: '编号只能使用小写字母、数字和连字符' }]}>
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="title" label="标题" rules={[{ required: true, min: 2, message: '标题至少 2 个字' }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="source" label="依据" rules={[{ required: true, min: 2, message: '请填写依据' }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="body" label="正文（每行一段）" rules={[{ required: true, min: 10, message: '正文至少 10 个字' }]}>
            <Input.TextArea rows={10} maxLength={20000} />
          </Form.Item>
          <Space>
            <Form.Item name="sort" label="排序">
              <InputNumber min={0} max={10000} />
            </Form.Item>
            <Form.Item name="retired" label="停用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </div>
  );
}
