import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  /** "alertdialog" for confirmations, "dialog" for forms. */
  role?: 'dialog' | 'alertdialog';
  title: string;
  /** A sentence under the title; becomes the dialog's description. */
  description?: ReactNode;
  onClose: () => void;
  /** What gets focus when the dialog opens; else the first field or button. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Where focus goes when the dialog closes; else what had focus before. */
  returnFocus?: () => HTMLElement | null | undefined;
  /** Clicking outside closes it (confirmations); forms keep their input. */
  closeOnBackdrop?: boolean;
  size?: 'small' | 'medium';
  children: ReactNode;
}

/**
 * A modal dialog: focus moves in and stays in, Escape closes it, the page
 * behind is inert, and focus returns to where it came from.
 */
export function Modal({
  role = 'dialog',
  title,
  description,
  onClose,
  initialFocus,
  returnFocus,
  closeOnBackdrop = false,
  size = 'medium',
  children,
}: ModalProps) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const returnFocusRef = useRef(returnFocus);
  returnFocusRef.current = returnFocus;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = document.getElementById('root');
    const dialog = ref.current;
    const background = root && dialog && !root.contains(dialog) ? root : null;
    background?.setAttribute('inert', '');
    background?.setAttribute('aria-hidden', 'true');
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';

    const first = initialFocus?.current ?? dialog?.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
    first?.focus();

    return () => {
      background?.removeAttribute('inert');
      background?.removeAttribute('aria-hidden');
      document.body.style.overflow = overflow;
      const target = returnFocusRef.current?.() ?? opener;
      if (target && target.isConnected) target.focus();
    };
    // Runs once per opening: the dialog's first focus and its return.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const firstItem = items[0]!;
    const lastItem = items[items.length - 1]!;
    if (e.shiftKey && (document.activeElement === firstItem || document.activeElement === ref.current)) {
      e.preventDefault();
      lastItem.focus();
    } else if (!e.shiftKey && document.activeElement === lastItem) {
      e.preventDefault();
      firstItem.focus();
    }
  }

  return createPortal(
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (closeOnBackdrop && e.target === e.currentTarget) onCloseRef.current();
      }}
    >
      <div
        ref={ref}
        role={role}
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={description ? `${id}-desc` : undefined}
        className={`modal modal-${size}`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-title`} className="modal-title">
          {title}
        </h2>
        {description ? (
          <div id={`${id}-desc`} className="modal-description">
            {description}
          </div>
        ) : null}
        {children}
      </div>
    </div>,
    document.body,
  );
}
