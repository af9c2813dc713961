import type { ReactNode } from 'react';
import { usePageTitle } from './usePageTitle';

/** The page's h1 (focusable, so the layout can move focus to it after navigation). */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  usePageTitle(title);
  return (
    <header className="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </header>
  );
}
