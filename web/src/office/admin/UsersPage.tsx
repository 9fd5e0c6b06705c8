/** 用户管理 (system admin): staff accounts of the jurisdiction; create, reset password, disable / enable. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import { useSession } from '../../shared/session';
import { UnitPicker } from '../UnitPicker';
import { roleLabels } from '../labels';
import type { StaffAccount } from './types';

interface NewAccount {
  unitId: string;
  name: string;
  username: string;
  password: string;
}

const dutyRoles = ['security_admin', 'auditor'];

export function useStaffAccounts() {
  const [items, setItems] = useState<StaffAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .get<{ items: StaffAccount[] }>('/api/admin/users')
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  return { items, error, load };
}

export function StatusTags({ a }: { a: StaffAccount }) {
  return (
    <Space size={4} wrap>
      {a.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>}
      {a.locked && <Tag color="orange">已锁定</Tag>}
      {a.mustChangePassword && <Tag>待修改初始密码</Tag>}
    </Space>
  );
}

export default function UsersPage() {
  const { me } = useSession();
  const { message } = App.useApp();
  const { items, error, load } = useStaffAccounts();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<StaffAccount | null>(null);
  const [busy, setBusy] = useState(false);
  const [createForm] = Form.useForm<NewAccount>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const [formError, setFormError] = useState<string | null>(null);

  const create = async (v: NewAccount) => {
    setBusy(true);
    setFormError(null);
    try {
      const r = await api.post<{ username: string }>('/api/admin/users', { ...v, username: v.username.trim() });
      message.success(`已创建账号 ${r.username}。请将初始密码当面告知本人，并请安全管理员授予角色。`);
      setCreating(false);
      createForm.resetFields();
      load();
    } catch (e) {
      if (applyFieldErrors(createForm, e) === 0) setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const reset = async (v: { password: string }) => {
    if (!resetting) return;
    setBusy(true);
    setFormError(null);
    try {
      await api.post(`/api/admin/users/${resetting.id}/password`, v);
      message.success(`已重置 ${resetting.username} 的密码，其会话已全部注销，下次登录须修改密码`);
      setResetting(null);
      resetForm.resetFields();
      load();
    } catch (e) {
      if (applyFieldErrors(resetForm, e) === 0) setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (a: StaffAccount) => {
    Modal.confirm({
      title: a.disabled ? `启用账号 ${a.username}？` : `停用账号 ${a.username}？`,
      content: a.disabled ? '启用后该账号可再次登录。' : '停用后该账号立即退出所有已登录的会话，且不能再登录。',
      okText: a.disabled ? '启用' : '停用',
      okButtonProps: { danger: !a.disabled },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/admin/users/${a.id}/${a.disabled ? 'enable' : 'disable'}`, {});
          message.success(a.disabled ? '已启用' : '已停用，会话已注销');
          load();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <section aria-labelledby="users-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <h2 id="users-title" style={{ margin: 0, fontSize: 20 }}>
          用户管理
        </h2>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { setFormError(null); setCreating(true); }}>
          新建账号
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">
        系统管理员创建工作人员账号、重置密码、停用或启用账号；角色由安全管理员授予。所有操作记入安全日志。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<StaffAccount>
        rowKey="id"
        loading={items === null && !error}
        dataSource={items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        scroll={{ x: 900 }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'name' },
          { title: '单位', dataIndex: 'unitName' },
          { title: '角色', dataIndex: 'roles', render: (rs: string[]) => (rs.length ? rs.map((r) => <Tag key={r}>{roleLabels[r] ?? r}</Tag>) : <Typography.Text type="secondary">未授予</Typography.Text>) },
          { title: '状态', key: 'status', render: (_: unknown, a) => <StatusTags a={a} /> },
          {
            title: '操作',
            key: 'ops',
            render: (_: unknown, a) =>
              a.id === me?.id ? (
                <Typography.Text type="secondary">本人</Typography.Text>
              ) : (
                <Space size={4}>
                  {!a.roles.some((r) => dutyRoles.includes(r)) && (
                    <Button size="small" onClick={() => { setFormError(null); setResetting(a); }}>
                      重置密码
                    </Button>
                  )}
                  <Button size="small" danger={!a.disabled} onClick={() => toggle(a)}>
                    {a.disabled ? '启用' : '停用'}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal title="新建工作人员账号" open={creating} onCancel={() => setCreating(false)} footer={null} destroyOnHidden>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={createForm} layout="vertical" requiredMark={false} onFinish={(v) => void create(v)}>
          <Form.Item label="所在单位" name="unitId" rules={[{ required: true, message: '请选择单位' }]}>
            <UnitPicker aria-label="所在单位" placeholder="选择单位（本辖区）" />
          </Form.Item>
          <Form.Item label="姓名" name="name" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item label="用户名" name="username" extra="登录用，如 zd.wangli；小写字母、数字或 . _ -" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
          <Form.Item label="初始密码" name="password" extra="本人首次登录时必须修改；至少 8 位，含两类字符" rules={[{ required: true, message: '请设置初始密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            创建账号
          </Button>
        </Form>
      </Modal>
      <Modal title={`重置密码：${resetting?.name ?? ''}（${resetting?.username ?? ''}）`} open={resetting !== null} onCancel={() => setResetting(null)} footer={null} destroyOnHidden>
        <Typography.Paragraph type="secondary">重置后该账号的所有会话立即注销，本人下次登录须修改密码。</Typography.Paragraph>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={resetForm} layout="vertical" requiredMark={false} onFinish={(v) => void reset(v)}>
          <Form.Item label="新的初始密码" name="password" rules={[{ required: true, message: '请设置新的初始密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            重置密码
          </Button>
        </Form>
      </Modal>
    </section>
  );
}
