/**
 * The citizen portal: a phone-first shell (skip link, header with the 长辈模式 switch, navigation)
 * around lazily loaded pages, so the home, submit and track pages each load only what they use.
 */
import { Suspense, lazy, useEffect, useRef } from 'react';
import { Link, NavLink, Route, Routes, useLocation } from 'react-router';
import { ConfigProvider, Spin, Switch } from 'antd';
import { useElderMode } from '../shared/elder-mode';
import { useSession } from '../shared/session';
import { clearDraft, loadDraft } from './draft';
import './portal.css';

const HomePage = lazy(() => import('./pages/HomePage'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const RegisterPage = lazy(() => import('./pages/RegisterPage'));
const SubmitPage = lazy(() => import('./pages/SubmitPage'));
const SubmittedPage = lazy(() => import('./pages/SubmittedPage'));
const TrackPage = lazy(() => import('./pages/TrackPage'));
const MyCasesPage = lazy(() => import('./pages/MyCasesPage'));
const MyCasePage = lazy(() => import('./pages/MyCasePage'));
const SunshinePage = lazy(() => import('./pages/SunshinePage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

function ElderSwitch() {
  const { elder, setElder } = useElderMode();
  return (
    <span className="xf-elder-switch">
      <label htmlFor="xf-elder">长辈模式</label>
      <Switch id="xf-elder" checked={elder} onChange={setElder} aria-label="长辈模式（大字号、高对比度）" title="大字号、高对比度" />
    </span>
  );
}

function AccountLink() {
  const { me, loading, logout } = useSession();
  if (loading) return null;
  if (!me) {
    return (
      <NavLink to="/login" className="xf-nav-link">
        登录/注册
      </NavLink>
    );
  }
  if (me.kind === 'staff') {
    return (
      <Link to="/office" className="xf-nav-link">
        工作平台
      </Link>
    );
  }
  return (
    <>
      <NavLink to="/my" className="xf-nav-link">
        我的信访
      </NavLink>
      <button
        type="button"
        className="xf-nav-link xf-linkbutton"
        onClick={() => {
          // A petition draft is personal: on a shared phone it must not outlive the session.
          clearDraft(me.id, loadDraft(me.id));
          void logout();
        }}
        aria-label={`退出登录（${me.name}）`}
      >
        退出
      </button>
    </>
  );
}

/** Moves focus to the main region after an in-app navigation, so screen readers announce the new page. */
function useFocusOnNavigate() {
  const { pathname } = useLocation();
  const previous = useRef(pathname); // not a "first run" flag: StrictMode runs effects twice
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);
}

export default function PortalApp() {
  useFocusOnNavigate();
  return (
    // Button names stay as written ('撤回', not antd's spaced '撤 回') for screen readers and tests.
    // Inputs show focus in blue: a red (primary) border would read as an error to many users.
    <ConfigProvider
      button={{ autoInsertSpace: false }}
      theme={{ components: { Input: { activeBorderColor: '#1677ff', hoverBorderColor: '#4096ff', activeShadow: '0 0 0 2px rgba(22, 119, 255, 0.15)' } } }}
    >
    <div className="xf-portal">
      <a className="xf-skip" href="#main">
        跳到主要内容
      </a>
      <header className="xf-header xf-noprint">
        <div className="xf-header-row">
          <Link to="/" className="xf-brand" aria-label="网上信访平台首页">
            <span className="xf-brand-mark" aria-hidden="true">
              信
            </span>
            <span>网上信访</span>
          </Link>
          <ElderSwitch />
        </div>
        <nav aria-label="主导航" className="xf-nav">
          <NavLink to="/submit" className="xf-nav-link">
            我要投诉
          </NavLink>
          <NavLink to="/track" className="xf-nav-link">
            查询进度
          </NavLink>
          <NavLink to="/sunshine" className="xf-nav-link">
            阳光信访
          </NavLink>
          <AccountLink />
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="xf-main">
        <Suspense fallback={<Spin size="large" className="xf-page-spin" aria-label="正在加载" />}>
          <Routes>
            <Route index element={<HomePage />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="register" element={<RegisterPage />} />
            <Route path="submit" element={<SubmitPage />} />
            <Route path="submitted/:id" element={<SubmittedPage />} />
            <Route path="track" element={<TrackPage />} />
            <Route path="track/:code" element={<TrackPage />} />
            <Route path="my" element={<MyCasesPage />} />
            <Route path="my/:id" element={<MyCasePage />} />
            <Route path="sunshine" element={<SunshinePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
      <footer className="xf-footer xf-noprint">
        <p>
          依据《信访工作条例》受理群众来信来访。紧急情况请拨打 110；诉讼、仲裁、行政复议等事项请走法定途径。
        </p>
        <p>
          <Link to="/sunshine">阳光信访</Link> · <Link to="/track">查询办理进度</Link> · <a href="/api/docs">开放接口</a>
        </p>
      </footer>
    </div>
    </ConfigProvider>
  );
}
