import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { SessionProvider } from './shared/session';
import { ElderModeProvider, useElderMode } from './shared/elder-mode';
import './shared/global.css';

dayjs.locale('zh-cn');

// The office (and its charts) is a separate chunk: citizens on phones never download it.
const Portal = lazy(() => import('./portal/PortalApp'));
const Office = lazy(() => import('./office/OfficeApp'));

function Themed() {
  const { elder } = useElderMode();
  return (
    <ConfigProvider
      locale={zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: elder
          ? { fontSize: 20, colorPrimary: '#a8071a', colorText: '#000000', colorTextSecondary: '#1f1f1f', controlHeight: 48, borderRadius: 4 }
          : { fontSize: 15, colorPrimary: '#c41d24', controlHeight: 40, borderRadius: 6 },
      }}
    >
      <AntApp>
        <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />}>
          <Routes>
            <Route path="/office/*" element={<Office />} />
            <Route path="/*" element={<Portal />} />
          </Routes>
        </Suspense>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <ElderModeProvider>
        <SessionProvider>
          <Themed />
        </SessionProvider>
      </ElderModeProvider>
    </BrowserRouter>
  </StrictMode>,
);
