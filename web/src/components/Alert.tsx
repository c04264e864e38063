import type { ReactNode } from 'react';

/** An error or warning the admin should read now (role="alert"). */
export function Alert({
  title,
  children,
  tone = 'error',
  onDismiss,
}: {
  title?: string;
  children: ReactNode;
  tone?: 'error' | 'warning';
  onDismiss?: () => void;
}) {
  return (
    <div role="alert" className={`alert alert-${tone}`}>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        <div className="alert-text">{children}</div>
      </div>
      {onDismiss ? (
        <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}
