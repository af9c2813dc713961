import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { errorText } from './errors';
import { Modal } from './Modal';

/** A yes/no modal for an action that needs no reason; a refusal is shown inside. */
export function ReasonlessConfirm({ title, body, confirmLabel, danger, onConfirm, onClose }: { title: string; body: string; confirmLabel: string; danger?: boolean; onConfirm: () => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={title} onClose={onClose}>
      {(close) => (
        <>
          <p>{body}</p>
          {failure && (
            <p className="alert alert-error" role="alert">
              {failure}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} disabled={busy} autoFocus>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className={danger ? 'button button-danger' : 'button button-primary'}
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                setFailure(null);
                try {
                  await onConfirm();
                } catch (e) {
                  setFailure(errorText(t, e));
                }
                setBusy(false);
              }}
            >
              {confirmLabel}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
