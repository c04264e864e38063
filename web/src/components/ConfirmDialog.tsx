import { useRef } from 'react';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  /** The button that does it, named after the action: "Deactivate". */
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
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
