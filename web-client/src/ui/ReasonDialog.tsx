import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { checkReason, REASON_MAX, REASON_MIN } from '../forms/validation';
import { useI18n } from '../i18n/I18nProvider';
import { errorText } from './errors';
import { Field } from './Field';

interface ReasonDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  /** Under the reason; defaults to "goes to the audit log". */
  hint?: string;
  /** The button that closes without acting; defaults to "Cancel". */
  dismissLabel?: string;
  /** More explanation, between the body and the reason. */
  children?: ReactNode;
  /** Does the action; a rejection is shown in the dialog, which stays open. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}

/** A modal that asks why before an action whose reason is recorded (audit log, cancellations). */
export function ReasonDialog({ title, body, confirmLabel, danger, hint, dismissLabel, children, onConfirm, onClose }: ReasonDialogProps) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // showModal() traps focus inside, makes the rest inert and closes on Escape. Unmounting
  // removes it; closing it here would fire `close` (and onClose) late.
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problem = checkReason(reason);
    setInvalid(problem && t(problem.key, problem.vars));
    setFailure(null);
    if (problem) {
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onConfirm(reason.trim());
    } catch (err) {
      setFailure(errorText(t, err));
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form noValidate onSubmit={onSubmit}>
        <h2 id={`${id}-title`}>{title}</h2>
        <p>{body}</p>
        {children}
        {failure && (
          <p className="alert alert-error" role="alert">
            {failure}
          </p>
        )}
        <Field
          id={`${id}-reason`}
          label={t('field.reason')}
          hint={hint ?? t('field.reason.hint', { min: REASON_MIN, max: REASON_MAX })}
          error={invalid}
        >
          <textarea
            rows={3}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setInvalid(undefined);
            }}
            maxLength={REASON_MAX}
            required
            autoFocus
          />
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()} disabled={busy}>
            {dismissLabel ?? t('common.cancel')}
          </button>
          <button type="submit" className={danger ? 'button button-danger' : 'button button-primary'} disabled={busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
