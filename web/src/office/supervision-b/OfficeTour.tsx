/**
 * The first-login guided tour (新人引导) over the office's main screens. On an account's first
 * login a banner in the page (not an overlay, so nothing under it is blocked) offers the tour;
 * finishing, skipping or "不再提示" is remembered by the server (POST /api/office/tour/office-intro/dismiss).
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Space, Tour, type TourProps } from 'antd';
import { api } from '../../shared/api';

const TourContext = createContext<{ restart: () => void; offered: boolean; dismiss: () => void }>({ restart: () => undefined, offered: false, dismiss: () => undefined });

/** Restart the tour from anywhere in the office (学习园地 offers it). */
export function useTour() {
  return useContext(TourContext);
}

const el = (key: string) => () => document.querySelector<HTMLElement>(`[data-tour="${key}"]`) ?? document.body;

const baseSteps: NonNullable<TourProps['steps']> = [
  { title: '欢迎使用信访工作平台', description: '用一分钟认识主要功能。可随时按“跳过”，以后在“学习园地”中可重新观看。', target: null },
  { title: '工作台队列', description: '待受理、待交办、待签收、即将到期、已超期……每个队列的数字是本人可办理的件数，红色表示已超期。', target: el('queues'), placement: 'right' },
  { title: '全部信访件 / 检索', description: '按编号、标题、类别、地区检索本辖区的信访件；打开信访件可看到办理期限、文书和全部办理记录，按钮只显示您有权执行的操作。', target: el('all'), placement: 'right' },
  { title: '典型案例与通报', description: '全省发布的正反面典型和上级印发的通报都在这里；主送本单位的通报请及时签收。', target: el('typical'), placement: 'right' },
  { title: '考核', description: '本单位按及时受理、按期办结、参评、满意和重复信访、督办督查等计分，每一项扣分都能看到具体是哪些件。', target: el('assessment'), placement: 'right' },
  { title: '学习园地', description: '信访工作条例和本省网上信访规定的要点：2个工作日告知、5个工作日交办转送、60日办结、双向责任书只能由信访人本人签署……', target: el('training'), placement: 'right' },
];

const steps = baseSteps.map((st, i) => ({
  ...st,
  nextButtonProps: { children: i === baseSteps.length - 1 ? '完成' : '下一步' },
  prevButtonProps: { children: '上一步' },
}));

export function OfficeTourProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [offered, setOffered] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    api
      .get<{ pending: string[] }>('/api/office/tour')
      .then((r) => live && setOffered(r.pending.includes('office-intro')))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [enabled]);
  const dismiss = useCallback(() => {
    setOffered(false);
    void api.post('/api/office/tour/office-intro/dismiss').catch(() => undefined);
  }, []);
  const close = useCallback(() => {
    setOpen(false);
    dismiss();
  }, [dismiss]);
  const restart = useCallback(() => setOpen(true), []);
  return (
    <TourContext.Provider value={{ restart, offered, dismiss }}>
      {children}
      <Tour open={open} onClose={close} onFinish={close} steps={steps} indicatorsRender={(current, total) => `${current + 1} / ${total}`} />
    </TourContext.Provider>
  );
}

/** The first-login offer, shown in the page above the content. */
export function TourOffer() {
  const { offered, restart, dismiss } = useTour();
  if (!offered) return null;
  return (
    <Alert
      type="info"
      showIcon
      closable={false}
      style={{ marginBottom: 16 }}
      title="欢迎使用信访工作平台！第一次使用？用一分钟认识工作台、典型案例、通报、考核和学习园地。"
      action={
        <Space>
          <Button size="small" type="primary" onClick={restart}>
            开始引导
          </Button>
          <Button size="small" onClick={dismiss}>
            不再提示
          </Button>
        </Space>
      }
    />
  );
}
