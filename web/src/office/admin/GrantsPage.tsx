/** 角色授权 (security admin): set the roles of staff accounts (never one's own), unlock locked accounts. */
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Modal, Space, Table, Tag, Typography } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { useSession } from '../../shared/session';
import { roleLabels } from '../labels';
import { StatusTags, useStaffAccounts } from './UsersPage';
import type { StaffAccount } from './types';

const roleOrder = ['registrar', 'acceptor', 'dispatcher', 'handler', 'supervisor', 'leader', 'auditor', 'admin', 'security_admin'];

export default function GrantsPage() {
  const { me } = useSession();
  const { message } = App.useApp();
  const { items, error, load } = useStaffAccounts();
  const [editing, setEditing] = useState<StaffAccount | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const save = async () => {
    if (!editing) return;
    setBusy(true);
    setFormError(null);
    try {
      await api.post(`/api/security/users/${editing.id}/roles`, { roles });
      message.success(`已设置 ${editing.username} 的角色；其会话已注销，重新登录后生效`);
      setEditing(null);
      load();
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const unlock = (a: StaffAccount, resetTotp: boolean) => {
    Modal.confirm({
      title: resetTotp ? `解除 ${a.username} 的锁定并重置动态口令？` : `解除 ${a.username} 的登录锁定？`,
      content: resetTotp ? '重置后本人须重新绑定身份验证器，现有会话全部注销。' : '解除后可立即重新登录。',
      okText: '确定',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.post(`/api/security/users/${a.id}/unlock`, { resetTotp });
          message.success('已处理');
          load();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <section aria-labelledby="grants-title">
      <h2 id="grants-title" style={{ margin: '0 0 12px', fontSize: 20 }}>
        角色授权
      </h2>
      <Typography.Paragraph type="secondary">安全管理员为工作人员授予或收回角色、解除登录锁定。不能修改自己的角色；所有操作记入安全日志。</Typography.Paragraph>
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
          { title: '角色', dataIndex: 'roles', render: (rs: string[]) => (rs.length ? rs.map((r) => <Tag key={r} color="blue">{roleLabels[r] ?? r}</Tag>) : <Typography.Text type="secondary">未授予</Typography.Text>) },
          { title: '状态', key: 'status', render: (_: unknown, a) => <StatusTags a={a} /> },
          {
            title: '操作',
            key: 'ops',
            render: (_: unknown, a) =>
              a.id === me?.id ? (
                <Typography.Text type="secondary">本人</Typography.Text>
              ) : (
                <Space size={4} wrap>
                  <Button size="small" aria-label={`设置 ${a.username ?? ''} 的角色`} onClick={() => { setFormError(null); setRoles(a.roles); setEditing(a); }}>
                    设置角色
                  </Button>
                  {a.locked && (
                    <Button size="small" onClick={() => unlock(a, false)}>
                      解除锁定
                    </Button>
                  )}
                  <Button size="small" type="link" onClick={() => unlock(a, true)}>
                    重置动态口令
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal title={`设置角色：${editing?.name ?? ''}（${editing?.username ?? ''}）`} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => void save()} okText="保存" cancelText="取消" confirmLoading={busy} destroyOnHidden>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} role="alert" />}
        <Checkbox.Group value={roles} onChange={(v) => setRoles(v.map(String))} aria-label="角色" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
          {roleOrder.map((r) => (
            <Checkbox key={r} value={r}>
              {roleLabels[r]}
            </Checkbox>
          ))}
        </Checkbox.Group>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          系统管理员、安全管理员登录须使用动态口令。保存后该账号现有会话全部注销。
        </Typography.Paragraph>
      </Modal>
    </section>
  );
}
