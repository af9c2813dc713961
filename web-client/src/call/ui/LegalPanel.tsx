import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { formatTime } from '../../time/days';
import { browserTimeZone } from '../../time/format';
import type { CallSession } from '../CallSession';
import type { CallState } from '../machine';
import { markMessage } from '../protocol';

/** "mm:ss" (or "h:mm:ss") of a recording's media time. */
export function mediaTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Legal Mode in the call: whether it records, this participant's consent, and marks. */
export function LegalPanel({ call, session, names }: { call: CallState; session: CallSession; names: Record<string, string> }) {
  const { t } = useI18n();
  const [label, setLabel] = useState('');
  const { state, consents } = call.recording;
  const mine = call.identity !== null && consents.includes(call.identity);
  const connected = call.phase.kind === 'joined';
  const tooLong = markMessage(label) === null;
  const zone = browserTimeZone();
  return (
    <section className="legal-panel" aria-label={t('call.legal.title')}>
      <p className={`legal-state legal-state-${state}`} role="status" data-testid="recording-state" data-state={state}>
        {state === 'recording' && <span className="legal-dot" aria-hidden="true" />}
        {t(`call.legal.state.${state}`, { count: consents.length })}
      </p>
      {state !== 'unavailable' && (
        <div className="actions">
          <button type="button" className={mine ? 'button' : 'button button-primary'} disabled={!connected} onClick={() => session.setConsent(!mine)}>
            {mine ? t('call.legal.withdraw') : t('call.legal.consent')}
          </button>
          {mine && <span className="muted small">{t('call.legal.youConsented')}</span>}
        </div>
      )}
      {state === 'recording' && (
        <form
          className="legal-mark"
          onSubmit={(e) => {
            e.preventDefault();
            if (session.markMoment(label)) setLabel('');
          }}
        >
          <label>
            <span className="small">{t('call.legal.markLabel')}</span>
            <input value={label} onChange={(e) => setLabel(e.target.value)} aria-invalid={tooLong} />
          </label>
          {tooLong && <p className="field-error">{t('call.legal.markTooLong')}</p>}
          <button type="submit" className="button" disabled={tooLong || !connected}>
            {t('call.legal.mark')}
          </button>
        </form>
      )}
      {call.marks.length > 0 && (
        <div className="legal-marks">
          <h2 className="small">{t('call.legal.marks')}</h2>
          <ul data-testid="marks">
            {call.marks.map((m, i) => (
              <li key={`${m.at}-${i}`}>
                <span>{m.mediaMs === null ? formatTime(m.at, zone) : t('call.legal.markAt', { time: formatTime(m.at, zone), media: mediaTime(m.mediaMs) })}</span>{' '}
                <strong>{names[m.identity] ?? ''}</strong> {m.label}
              </li>
            ))}
          </ul>
          <p className="muted small">{t('call.legal.receipt')}</p>
        </div>
      )}
    </section>
  );
}
