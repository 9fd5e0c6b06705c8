/** 适老化: larger type and higher contrast, remembered in localStorage. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const key = 'xf.elderMode';
const ElderContext = createContext<{ elder: boolean; setElder(v: boolean): void }>({ elder: false, setElder: () => undefined });

export function ElderModeProvider({ children }: { children: ReactNode }) {
  const [elder, setElderState] = useState(() => localStorage.getItem(key) === '1');
  useEffect(() => {
    document.documentElement.dataset.elder = elder ? '1' : '0';
  }, [elder]);
  const setElder = (v: boolean) => {
    localStorage.setItem(key, v ? '1' : '0');
    setElderState(v);
  };
  return <ElderContext.Provider value={{ elder, setElder }}>{children}</ElderContext.Provider>;
}

export const useElderMode = () => useContext(ElderContext);
