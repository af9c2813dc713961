import { useEffect, useState } from 'react';
import { api, type RecordingView } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { LoadError } from '../../ui/LoadError';
import { useLoad } from '../../ui/useLoad';

/** A Legal Mode session's recordings, for its parties: state, proof hash, a copy request. */
export function SessionRecordings({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const rows = useLoad(() => api.sessionRecordings(sessionId), [sessionId]);
  // While a recording is in progress (the call goes on, or it is being sealed), look again.
  const inProgress = rows.data?.some((r) => r.status === 'recording') ?? false;
  const { reload } = rows;
  useEffect(() => {
    if (!inProgress) return;
    const timer = setTimeout(reload, 3000);
    return () => clearTimeout(timer);
  }, [inProgress, rows.data, reload]);
  return (
    <section className="card" aria-labelledby="recordings-title">
      <h2 id="recordings-title">{t('sessions.recordings.title')}</h2>
      {rows.error !== null && <LoadError error={rows.error} retry={rows.reload} />}
      {rows.data && rows.data.length === 0 && <p className="muted">{t('sessions.recordings.none')}</p>}
      {rows.data?.map((r) => <Recording key={r.id} recording={r} onChange={rows.reload} />)}
    </section>
  );
}

function Recording({ recording: r, onChange }: { recording: RecordingView; onChange: () => void }) {
  const { t, locale } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function ask() {
    setBusy(true);
    setError(null);
    try {
      await api.requestRecordingCopy(r.id, note);
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="recording" data-testid="recording">
      <p>
        <strong>{r.status === 'sealed' && r.ended_at ? t('sessions.recordings.sealed', { when: formatInstant(r.ended_at, locale) }) : t('sessions.recordings.recording')}</strong>{' '}
        <span className="muted">{t('sessions.recordings.summary', { segments: r.segments, gaps: r.gaps })}</span>
      </p>
      {r.manifest_sha256 && (
        <p className="small">
          {t('sessions.recordings.hash')} <code className="hash" data-testid="manifest-hash">{r.manifest_sha256}</code>
        </p>
      )}
      {r.manifest_sha256 && <p className="muted small">{t('sessions.recordings.verifyHow')}</p>}
      {r.my_request && (
        <p className="alert alert-info" role="status">
          {t(`sessions.recordings.request.${r.my_request as 'pending' | 'fulfilled' | 'refused'}`)}
        </p>
      )}
      {r.status === 'sealed' && r.my_request !== 'pending' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void ask();
          }}
        >
          <label>
            <span className="small">{t('sessions.recordings.note')}</span>
            <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={busy}>
            {t('sessions.recordings.ask')}
          </button>
        </form>
      )}
      {error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </div>
  );
}
