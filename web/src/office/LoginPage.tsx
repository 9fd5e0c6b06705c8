/** 工作人员登录: username and password; then back to where the staff member was going. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, errorMessage } from '../shared/api';
import { useSession } from '../shared/session';

export function LoginPage() {
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/office';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me?.kind === 'staff') return <Navigate to={from} replace />;

  const onFinish = async (v: { login: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { login: v.login.trim(), password: v.password });
      const m = await refresh();
      if (m?.kind !== 'staff') {
        await api.post('/api/auth/logout').catch(() => undefined);
        await refresh();
        setError('该账号不是工作人员账号。信访人请从网上信访首页登录。');
        return;
      }
      void navigate(from.startsWith('/office') && !from.startsWith('/office/login') ? from : '/office', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #a8071a 0%, #c41d24 40%, #f5f5f5 40%)', padding: 16 }}>
      <Card style={{ width: 400, maxWidth: '100%' }}>
        <h1 style={{ fontSize: 24, textAlign: 'center', margin: '8px 0 4px' }}>信访工作平台</h1>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          工作人员登录 · 件件有着落，事事有回音
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={(v: { login: string; password: string }) => void onFinish(v)} requiredMark={false}>
          <Form.Item label="用户名" name="login" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus placeholder="如 zd.acceptor" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
          信访人请前往 <a href="/">网上信访首页</a> 提交和查询信访件。
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
