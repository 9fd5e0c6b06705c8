/** The page's one h1, which also names the browser tab (screen readers announce it). */
import { useEffect, type ReactNode } from 'react';

export function PageTitle({ children, title }: { children: ReactNode; title?: string }) {
  const text = title ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    document.title = text ? `${text} - 网上信访平台` : '网上信访平台';
  }, [text]);
  return <h1>{children}</h1>;
}
