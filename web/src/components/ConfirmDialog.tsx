import { useRef } from 'react';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  /** The button that does it, named after the action: "Deactivate"; empty when it
   * cannot be done (the dialog only explains why, with a Close button). */
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

/** Asks before a destructive action (role="alertdialog"); Cancel has focus first. */
export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onCancel, returnFocus }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      role="alertdialog"
      title={title}
      description={<p>{body}</p>}
      onClose={onCancel}
      initialFocus={cancelRef}
      returnFocus={returnFocus}
      closeOnBackdrop
      size="small"
    >
      <div className="modal-actions">
        <button type="button" className="button" ref={cancelRef} onClick={onCancel}>
          {confirmLabel ? 'Cancel' : 'Close'}
        </button>
        {confirmLabel ? (
          <button type="button" className="button button-danger" onClick={onConfirm}>
            {confirmLabel}
          </button>
        ) : null}
      </div>
    </Modal>
  );
}
