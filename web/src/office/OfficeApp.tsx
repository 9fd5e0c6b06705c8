/** The staff office (信访工作平台) under /office: login, the workbench queues and the case page. */
import { Button, ConfigProvider, Result, Spin } from 'antd';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from '../shared/session';
import { OfficeDataProvider, useOfficeData } from './data';
import { OfficeLayout } from './OfficeLayout';
import { LoginPage } from './LoginPage';
import { QueuePage } from './QueuePage';
import { CasePage } from './CasePage';
import { EntryPage } from './EntryPage';
import { lazy, Suspense } from 'react';
import { ChangePasswordPage } from './admin/ChangePasswordPage';
import { roleLabels } from './labels';

// Account administration (三员分立): loaded only by the admins who open it.
const UsersPage = lazy(() => import('./admin/UsersPage'));
const GrantsPage = lazy(() => import('./admin/GrantsPage'));
const SecurityLogPage = lazy(() => import('./admin/SecurityLogPage'));
const lazySpin = <Spin style={{ display: 'block', margin: '20vh auto' }} />;

// 统计分析 with echarts: its own chunk, loaded only when opened.
const StatsPage = lazy(() => import('./stats/StatsPage'));
// Admin pages (工作日历, 通知投递): their own chunk too.
const CalendarAdminPage = lazy(() => import('./admin/CalendarAdminPage'));
const OutboxPage = lazy(() => import('./admin/OutboxPage'));
// 督办 and 督导检查: their own chunk too.
const supervision = () => import('./supervision');
const SupervisionListPage = lazy(() => supervision().then((m) => ({ default: m.SupervisionListPage })));
const SupervisionDetailPage = lazy(() => supervision().then((m) => ({ default: m.SupervisionDetailPage })));
const InspectionListPage = lazy(() => supervision().then((m) => ({ default: m.InspectionListPage })));
const NewInspectionPage = lazy(() => supervision().then((m) => ({ default: m.NewInspectionPage })));
const InspectionDetailPage = lazy(() => supervision().then((m) => ({ default: m.InspectionDetailPage })));
// 典型案例、通报、考核、学习园地 (supervision-b).
const TypicalPage = lazy(() => import('./supervision-b/TypicalPage'));
const CircularsPage = lazy(() => import('./supervision-b/CircularsPage'));
const AssessmentPage = lazy(() => import('./supervision-b/AssessmentPage'));
const AssessmentUnitPage = lazy(() => import('./supervision-b/AssessmentUnitPage'));
const TrainingPage = lazy(() => import('./supervision-b/TrainingPage'));
const lazyPage = (el: React.ReactNode) => <Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}>{el}</Suspense>;

function Home() {
  const { workbench, workbenchError } = useOfficeData();
  const { me } = useSession();
  // The admin duties hold no case permission: their home is their own page.
  if (me && !me.permissions.includes('case.read')) {
    const home = me.permissions.includes('admin.users') ? 'users' : me.permissions.includes('security.grants') ? 'grants' : me.permissions.includes('security.log') ? 'security-log' : null;
    if (home) return <Navigate to={`/office/${home}`} replace />;
  }
  if (workbenchError && !workbench) return <Result status="403" title="无法打开工作台" subTitle={workbenchError} />;
  if (!workbench) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const first = workbench.queues[0];
  return <Navigate to={first ? `/office/queue/${first.key}` : '/office/all'} replace />;
}

function StaffOnly() {
  const { me, loading, logout } = useSession();
  const location = useLocation();
  if (loading) return <Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />;
  if (!me) return <Navigate to="/office/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.kind !== 'staff') {
    return (
      <main style={{ padding: 48 }}>
        <h1 style={{ textAlign: 'center' }}>信访工作平台</h1>
        <Result
          status="403"
          title="此平台仅限工作人员使用"
          subTitle="您当前以信访人身份登录。如需提交或查询信访件，请前往网上信访首页。"
          extra={[
            <Button key="portal" type="primary" href="/">
              前往网上信访首页
            </Button>,
            <Button key="logout" onClick={() => void logout()}>
              退出登录
            </Button>,
          ]}
        />
      </main>
    );
  }
  if (me.mustChangePassword) return <ChangePasswordPage />;
  const can = (perm: string) => me.permissions.includes(perm);
  return (
    <OfficeDataProvider>
      <Routes>
        <Route element={<OfficeLayout />}>
          <Route index element={<Home />} />
          <Route path="queue/:key" element={<QueuePage />} />
          <Route path="all" element={<QueuePage />} />
          <Route path="cases/:id" element={<CasePage />} />
          <Route path="typical" element={lazyPage(<TypicalPage />)} />
          <Route path="circulars" element={lazyPage(<CircularsPage />)} />
          <Route path="assessment" element={lazyPage(<AssessmentPage />)} />
          <Route path="assessment/unit/:id" element={lazyPage(<AssessmentUnitPage />)} />
          <Route path="training" element={lazyPage(<TrainingPage />)} />
          <Route path="entry" element={<EntryPage />} />
          <Route path="stats" element={<Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}><StatsPage /></Suspense>} />
          <Route path="admin/calendar" element={<Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}><CalendarAdminPage /></Suspense>} />
          <Route path="admin/outbox" element={<Suspense fallback={<Spin style={{ display: 'block', margin: '20vh auto' }} />}><OutboxPage /></Suspense>} />
          <Route path="supervisions" element={lazyPage(<SupervisionListPage />)} />
          <Route path="supervisions/:id" element={lazyPage(<SupervisionDetailPage />)} />
          <Route path="inspections" element={lazyPage(<InspectionListPage />)} />
          <Route path="inspections/new" element={lazyPage(<NewInspectionPage />)} />
          <Route path="inspections/:id" element={lazyPage(<InspectionDetailPage />)} />
          {can('admin.users') && <Route path="users" element={<Suspense fallback={lazySpin}><UsersPage /></Suspense>} />}
          {can('security.grants') && <Route path="grants" element={<Suspense fallback={lazySpin}><GrantsPage /></Suspense>} />}
          {can('security.log') && <Route path="security-log" element={<Suspense fallback={lazySpin}><SecurityLogPage roleLabels={roleLabels} /></Suspense>} />}
          <Route path="*" element={<Result status="404" title="页面不存在" extra={<Button href="/office">返回工作台</Button>} />} />
        </Route>
      </Routes>
    </OfficeDataProvider>
  );
}

export default function OfficeApp() {
  // No letter-spacing inserted into two-character buttons (受理, 交办…); a blue primary so that a
  // focused field or the main action never looks like an error or a refusal (those stay red).
  return (
    <ConfigProvider button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d5fbf', colorLink: '#1d5fbf' } }}>
      <Routes>
        <Route path="login" element={<LoginPage />} />
        <Route path="*" element={<StaffOnly />} />
      </Routes>
    </ConfigProvider>
  );
}
