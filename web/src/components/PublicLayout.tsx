import type { ReactNode } from 'react';

/** The frame of the pages people see signed out: a centred card under the brand. */
export function PublicLayout({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="public">
      <main id="main" className="public-main">
        <div className="public-brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span className="public-brand-name">ProPortal</span>
        </div>
        <div className="card public-card">{children}</div>
        {footer ? <div className="public-footer">{footer}</div> : null}
      </main>
    </div>
  );
}
