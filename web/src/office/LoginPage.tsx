/** 工作人员登录: username and password; then back to where the staff member was going. */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError, errorMessage } from '../shared/api';
import { useSession } from '../shared/session';

export function LoginPage() {
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/office';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Second factor: asked for when the server says the account has TOTP; enrolment when an admin has none yet.
  const [needTotp, setNeedTotp] = useState(false);
  const [enrol, setEnrol] = useState<{ secret: string; otpauthUri: string } | null>(null);

  if (me?.kind === 'staff' && !enrol) return <Navigate to={from} replace />;

  const enable = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/me/totp/enable', { code: v.code.trim() });
      setEnrol(null);
      void navigate('/office', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const onFinish = async (v: { login: string; password: string; totp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { login: v.login.trim(), password: v.password, ...(v.totp ? { totp: v.totp.trim() } : {}) });
      const sec = await api.get<{ totpRequired: boolean; totpEnabled: boolean }>('/api/me/security');
      const setup = sec.totpRequired && !sec.totpEnabled ? await api.post<{ secret: string; otpauthUri: string }>('/api/me/totp/setup', {}) : null;
      if (setup) setEnrol(setup);
      const m = await refresh();
      if (setup) return;
      if (m?.kind !== 'staff') {
        await api.post('/api/auth/logout').catch(() => undefined);
        await refresh();
        setError('该账号不是工作人员账号。信访人请从网上信访首页登录。');
        return;
      }
      void navigate(from.startsWith('/office') && !from.startsWith('/office/login') ? from : '/office', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'totp_required') setNeedTotp(true);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (enrol) {
    return (
      <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16 }}>
        <Card style={{ width: 480, maxWidth: '100%' }}>
          <h1 style={{ fontSize: 22, margin: '8px 0' }}>启用动态口令</h1>
          <Typography.Paragraph>管理员账号须使用动态口令登录。请在身份验证器 App 中添加以下密钥（或打开链接），然后输入 App 显示的 6 位数字。</Typography.Paragraph>
          <Typography.Paragraph copyable code>{enrol.secret}</Typography.Paragraph>
          <Typography.Paragraph><a href={enrol.otpauthUri}>在身份验证器中打开</a></Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
          <Form layout="vertical" onFinish={(v: { code: string }) => void enable(v)} requiredMark={false}>
            <Form.Item label="6 位动态口令" name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              启用
            </Button>
          </Form>
        </Card>
      </main>
    );
  }

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(160deg, #a8071a 0%, #c41d24 40%, #f5f5f5 40%)', padding: 16 }}>
      <Card style={{ width: 400, maxWidth: '100%' }}>
        <h1 style={{ fontSize: 24, textAlign: 'center', margin: '8px 0 4px' }}>信访工作平台</h1>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          工作人员登录 · 件件有着落，事事有回音
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={(v: { login: string; password: string; totp?: string }) => void onFinish(v)} requiredMark={false}>
          <Form.Item label="用户名" name="login" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus placeholder="如 zd.acceptor" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item label="动态口令" name="totp" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入身份验证器中的 6 位数字' }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
          )}
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
