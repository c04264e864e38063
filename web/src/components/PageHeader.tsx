import type { ReactNode } from 'react';

/** The page's title (its one h1), a line under it, and its main actions. */
export function PageHeader({
  title,
  subtitle,
  actions,
  titleId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  titleId?: string;
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 id={titleId} className="page-title" tabIndex={-1}>
          {title}
        </h1>
        {subtitle ? <div className="page-subtitle">{subtitle}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}
