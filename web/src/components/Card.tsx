import type { ReactNode } from 'react';

/** A titled card of a page: its h2 names the region; aside sits opposite the title. */
export function Card({
  titleId,
  title,
  aside,
  className,
  children,
}: {
  /** The h2's id, which labels the region. */
  titleId: string;
  title: ReactNode;
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={`card card-padded${className ? ` ${className}` : ''}`} aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId} className="card-title">
          {title}
        </h2>
        {aside}
      </div>
      {children}
    </section>
  );
}
