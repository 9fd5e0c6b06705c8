/** 修改初始密码: an account whose password an administrator set must choose its own before anything else. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, errorMessage } from '../../shared/api';
import { applyFieldErrors } from '../../shared/form-errors';
import { useSession } from '../../shared/session';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordPage() {
  const { me, refresh, logout } = useSession();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      await refresh();
    } catch (e) {
      if (applyFieldErrors(form, e) === 0) setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <h1 style={{ fontSize: 22, margin: '8px 0' }}>修改初始密码</h1>
        <Typography.Paragraph>
          {me?.name}（{me?.username}），您的密码由管理员设置。为保证账号安全，请先设置只有您本人知道的新密码，然后才能使用系统。
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
          <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入管理员告知的初始密码' }]}>
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item label="新密码" name="newPassword" extra="至少 8 位，包含字母、数字、符号中的至少两类" rules={[{ required: true, message: '请输入新密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="确认新密码"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({ validator: (_r, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            修改密码
          </Button>
          <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
            退出登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
