import { useState } from 'react';
import { api, isApiError, type LegalSession } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { Modal } from '../../ui/Modal';
import { useLoad } from '../../ui/useLoad';
import { formatInstant, browserTimeZone } from '../../time/format';
import { formatTime } from '../../time/days';
import { SlotPicker } from './SlotPicker';

const DAY = 86_400_000;

/** The lawyer's free slots for the next 30 days. */
export function loadSlots(lawyerId: string) {
  const now = Date.now();
  return api.lawyerSlots(lawyerId, { from: new Date(now).toISOString(), to: new Date(now + 30 * DAY).toISOString() });
}

/** Moves a client's session to another of the lawyer's free slots. */
export function RescheduleDialog({ session, onDone, onClose }: { session: LegalSession; onDone: (s: LegalSession) => void; onClose: () => void }) {
  const { t, locale } = useI18n();
  const zone = browserTimeZone();
  const slots = useLoad(() => loadSlots(session.lawyer_id), [session.lawyer_id]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function onConfirm() {
    if (!chosen) {
      setFailure(t('payment.pickFirst'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onDone(await api.reschedule(session.id, chosen));
    } catch (e) {
      setFailure(errorText(t, e));
      if (isApiError(e, 'slot_taken') || isApiError(e, 'slot_unavailable')) {
        setChosen(null);
        slots.reload();
      }
      setBusy(false);
    }
  }

  return (
    <Modal title={t('reschedule.title')} onClose={onClose} wide>
      {(close) => (
        <>
          <p>
            {t('reschedule.current', {
              when: `${formatInstant(session.start, locale, zone)}–${formatTime(session.end, zone)}`,
            })}
          </p>
          {failure && (
            <p className="alert alert-error" role="alert">
              {failure}
            </p>
          )}
          {slots.error !== null && <p className="alert alert-error">{errorText(t, slots.error)}</p>}
          {slots.data ? (
            <SlotPicker slots={slots.data.slots} lawyerZone={slots.data.time_zone} value={chosen} onChange={setChosen} disabled={busy} />
          ) : (
            slots.error === null && <Loading />
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </button>
            <button type="button" className="button button-primary" onClick={onConfirm} disabled={busy || !slots.data}>
              {busy ? t('reschedule.saving') : t('reschedule.confirm')}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
