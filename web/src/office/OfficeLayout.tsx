/** The office frame: side menu with the workbench queues and their counts, header with who is working. */
import { useEffect, useState } from 'react';
import { Badge, Button, Drawer, Grid, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { FileSearchOutlined, LogoutOutlined, InboxOutlined, MenuOutlined, BarChartOutlined, CalendarOutlined, SendOutlined, AlertOutlined, AuditOutlined, TeamOutlined, SafetyOutlined, StarOutlined, NotificationOutlined, TrophyOutlined, ReadOutlined, FormOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../shared/session';
import { useOfficeData } from './data';
import { roleLabels } from './labels';
import './office.css';
import { CalendarNotice } from './CalendarNotice';
import { OfficeTourProvider, TourOffer } from './supervision-b/OfficeTour';

const alertQueues = new Set(['overdue']);
/** Who works with 督办件 and 督导检查: supervisors, and the units that must answer (as the server decides). */
const supervisionPerms = ['case.supervise', 'case.reply', 'case.sign', 'case.assign', 'case.accept', 'case.extension.approve'];

const adminPages = [
  { key: 'users', perm: 'admin.users', label: '用户管理', icon: <TeamOutlined /> },
  { key: 'grants', perm: 'security.grants', label: '角色授权', icon: <SafetyOutlined /> },
  { key: 'security-log', perm: 'security.log', label: '安全日志', icon: <AuditOutlined /> },
];

export function OfficeLayout() {
  const { me, logout } = useSession();
  const { workbench } = useOfficeData();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [drawer, setDrawer] = useState(false);
  useEffect(() => setDrawer(false), [location.pathname, location.search]);
  const adminKey = adminPages.find((a) => location.pathname === `/office/${a.key}`)?.key;
  const pagePaths: Record<string, string> = { typical: '/office/typical', circulars: '/office/circulars', assessment: '/office/assessment', training: '/office/training' };
  const page = Object.entries(pagePaths).find(([, p]) => location.pathname.startsWith(p))?.[0];
  const selected = location.pathname.startsWith('/office/queue/') ? location.pathname.slice('/office/queue/'.length) : location.pathname === '/office/all' ? 'all' : location.pathname === '/office/entry' ? 'entry' : location.pathname.startsWith('/office/admin/') ? location.pathname.slice('/office/'.length) : location.pathname.startsWith('/office/supervisions') ? 'supervisions' : location.pathname.startsWith('/office/inspections') ? 'inspections' : (adminKey ?? page ?? '');
  const supervises = supervisionPerms.some((p) => me?.permissions.includes(p));
  const inspects = supervises || (me?.permissions.includes('inspection.manage') ?? false);

  const queueItems = (workbench?.queues ?? []).map((q) => ({
    key: q.key,
    label: (
      <Link to={`/office/queue/${q.key}`} style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }} aria-label={`${q.label}，${q.capped ? '超过 ' : ''}${q.count} 件`}>
        <span>{q.label}</span>
        <Badge count={q.capped ? `${q.count}+` : q.count} overflowCount={9999} showZero color={alertQueues.has(q.key) && q.count > 0 ? '#cf1322' : q.count > 0 ? '#1677ff' : '#bfbfbf'} />
      </Link>
    ),
  }));

  const nav = (
    <nav aria-label="工作台队列" data-tour="queues">
      <Typography.Text type="secondary" style={{ display: 'block', padding: '16px 24px 4px', fontSize: 13 }}>
        工作台
      </Typography.Text>
      <Menu
        mode="inline"
        selectedKeys={[selected]}
        onClick={({ key }) => {
          setDrawer(false);
          void navigate(key === 'all' ? '/office/all' : key === 'stats' ? '/office/stats' : key.startsWith('admin/') || adminPages.some((a) => a.key === key) || key === 'supervisions' || key === 'inspections' || key === 'entry' ? `/office/${key}` : (pagePaths[key] ?? `/office/queue/${key}`));
        }}
        style={{ borderInlineEnd: 'none' }}
        items={[
          ...queueItems,
          { type: 'divider' as const },
          {
            key: 'all',
            icon: <FileSearchOutlined />,
            label: <Link to="/office/all" data-tour="all">全部信访件 / 检索</Link>,
          },
          ...(me?.permissions.includes('case.register') ? [{ key: 'entry', icon: <FormOutlined />, label: <Link to="/office/entry">登记来信/来访/来电</Link> }] : []),
          ...(supervises ? [{ key: 'supervisions', icon: <AlertOutlined />, label: <Link to="/office/supervisions">督办件</Link> }] : []),
          ...(inspects ? [{ key: 'inspections', icon: <AuditOutlined />, label: <Link to="/office/inspections">督导检查</Link> }] : []),
          { key: 'typical', icon: <StarOutlined />, label: <Link to="/office/typical" data-tour="typical">典型案例</Link> },
          { key: 'circulars', icon: <NotificationOutlined />, label: <Link to="/office/circulars">通报</Link> },
          ...(me?.permissions.includes('assessment.read') ? [{ key: 'assessment', icon: <TrophyOutlined />, label: <Link to="/office/assessment" data-tour="assessment">考核</Link> }] : []),
          { key: 'training', icon: <ReadOutlined />, label: <Link to="/office/training" data-tour="training">学习园地</Link> },
          ...(me?.permissions.includes('stats.read') ? [{ key: 'stats', icon: <BarChartOutlined />, label: <Link to="/office/stats">统计分析</Link> }] : []),
          ...(me?.permissions.includes('admin.calendar') ? [{ key: 'admin/calendar', icon: <CalendarOutlined />, label: <Link to="/office/admin/calendar">工作日历</Link> }] : []),
          ...(me?.permissions.some((p) => p === 'admin.users' || p === 'admin.calendar') ? [{ key: 'admin/outbox', icon: <SendOutlined />, label: <Link to="/office/admin/outbox">通知投递</Link> }] : []),
          // Account administration: each page only for the duty that holds it (三员分立).
          ...adminPages.filter((a) => me?.permissions.includes(a.perm)).map((a) => ({ key: a.key, icon: a.icon, label: <Link to={`/office/${a.key}`}>{a.label}</Link> })),
        ]}
      />
    </nav>
  );

  const doLogout = async () => {
    await logout();
    void navigate('/office/login', { replace: true });
  };

  return (
    <OfficeTourProvider enabled={me?.kind === 'staff'}>
    <Layout style={{ minHeight: '100vh' }}>
      <a className="xf-skip" href="#office-main">
        跳到主要内容
      </a>
      <Layout.Header style={{ background: '#a8071a', display: 'flex', alignItems: 'center', gap: 16, paddingInline: narrow ? 8 : 20, height: 56, lineHeight: '56px' }}>
        {narrow && <Button type="text" aria-label="打开工作台菜单" icon={<MenuOutlined style={{ color: '#fff', fontSize: 18 }} />} onClick={() => setDrawer(true)} />}
        <Link to="/office" style={{ color: '#fff', display: 'flex', alignItems: 'center', gap: 8 }}>
          {!narrow && <InboxOutlined style={{ fontSize: 22 }} aria-hidden />}
          <h1 style={{ color: '#fff', fontSize: 20, margin: 0, whiteSpace: 'nowrap' }}>信访工作平台</h1>
        </Link>
        <span style={{ flex: 1 }} />
        {me && (
          <Space size={12} style={{ color: '#fff' }} wrap={false}>
            <Tooltip title={workbench ? `辖区：${workbench.scope.name}` : undefined}>
              <span className="xf-office-user" style={{ whiteSpace: 'nowrap' }}>
                {me.name}
                <span style={{ opacity: 0.85 }}> · {me.unit?.name}</span>
              </span>
            </Tooltip>
            <span className="xf-office-roles">
              {me.roles.map((r) => (
                <Tag key={r} color="gold" style={{ marginInlineEnd: 4 }}>
                  {roleLabels[r] ?? r}
                </Tag>
              ))}
            </span>
            <Button size="small" icon={<LogoutOutlined />} onClick={() => void doLogout()}>
              退出
            </Button>
          </Space>
        )}
      </Layout.Header>
      <Layout>
        {!narrow && (
          <Layout.Sider width={216} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
            {nav}
          </Layout.Sider>
        )}
        {narrow && (
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} title="工作台" styles={{ body: { padding: 0 } }}>
            {nav}
          </Drawer>
        )}
        <Layout.Content id="office-main" tabIndex={-1} style={{ padding: 20, minWidth: 0 }}>
          <CalendarNotice />
          <TourOffer />
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
    </OfficeTourProvider>
  );
}
