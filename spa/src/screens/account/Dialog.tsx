// A modal <dialog> (showModal): labelled by its heading, focus moved into it
// and given back to what had it, Escape (the dialog's cancel event) closes it.
import { useEffect, useRef, type ReactNode } from "react";

import { t } from "../../i18n";

interface Props {
  id: string;
  title: string;
  onCancel: () => void;
  children: ReactNode;
}

export function Modal({ id, title, onCancel, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    const onCancelEvent = (event: Event) => {
      event.preventDefault();
      cancel.current();
    };
    dialog.addEventListener("cancel", onCancelEvent);
    dialog.showModal();
    dialog.querySelector<HTMLElement>("h2")?.focus();
    return () => {
      dialog.removeEventListener("cancel", onCancelEvent);
      dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} id={id} aria-labelledby={`${id}-title`} className="modal">
      <h2 id={`${id}-title`} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}

// "Remove the phone?" with the action named on its button, and Cancel.
export function ConfirmDialog({
  text,
  action,
  onAnswer,
}: {
  text: string;
  action: string;
  onAnswer: (yes: boolean) => void;
}) {
  return (
    <Modal id="confirm" title={t("accConfirmTitle")} onCancel={() => onAnswer(false)}>
      <p>{text}</p>
      <div className="buttons">
        <button type="button" className="danger" onClick={() => onAnswer(true)}>
          {action}
        </button>
        <button type="button" className="secondary" onClick={() => onAnswer(false)}>
          {t("accCancel")}
        </button>
      </div>
    </Modal>
  );
}

// A destructive action's button: the confirmation dialog first (`ask`, with
// the button's label as its action), then the action.
export function ConfirmedButton({
  label,
  question,
  pending,
  ask,
  onConfirmed,
  ariaLabel,
}: {
  label: string;
  question: string;
  pending: boolean;
  ask: (text: string, action: string) => Promise<boolean>;
  onConfirmed: () => Promise<unknown>;
  ariaLabel?: string;
}) {
  return (
    <button
      type="button"
      className="danger"
      disabled={pending}
      aria-label={ariaLabel}
      onClick={async () => {
        if (await ask(question, label)) await onConfirmed();
      }}
    >
      {label}
    </button>
  );
}
