import { useState } from 'react';
import { api, type RecordingRequest, type RecordingRow } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { SessionStatusTag } from '../../marketplace/ui/StatusTag';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { LoadError } from '../../ui/LoadError';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

/** Whether an admin's reason is one the server takes (3 to 1000 characters). */
export function reasonOk(reason: string): boolean {
  const n = [...reason.trim()].length;
  return n >= 3 && n <= 1000;
}

/** The reason form in front of a sealed bundle's download (a plain link once it is filled). */
function Download({ recordingId, request, label }: { recordingId: string; request?: RecordingRequest; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const id = `reason-${request?.id ?? recordingId}`;
  return (
    <div className="reason-form">
      <label htmlFor={id}>{t('recordings.reason')}</label>
      <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={`${id}-hint`} />
      <small id={`${id}-hint`} className="muted">
        {t('recordings.reasonHint')}
      </small>
      {reasonOk(reason) ? (
        <a className="button button-primary" href={api.recordingBundleUrl(recordingId, reason.trim(), request?.id)} download>
          {t('recordings.getBundle')}
        </a>
      ) : (
        <button type="button" className="button button-primary" disabled>
          {t('recordings.getBundle')}
        </button>
      )}
    </div>
  );
}

function Requests({ rows, reload }: { rows: RecordingRequest[]; reload: () => void }) {
  const { t, locale } = useI18n();
  const [refusing, setRefusing] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function refuse(id: string) {
    setError(null);
    try {
      await api.refuseRecordingRequest(id, reason.trim());
      setRefusing(null);
      setReason('');
      reload();
    } catch (e) {
      setError(e);
    }
  }
  if (rows.length === 0) return <p className="empty">{t('recordings.requests.empty')}</p>;
  return (
    <ul className="list" data-testid="recording-requests">
      {rows.map((q) => (
        <li key={q.id} className="card">
          <p>
            {t('recordings.requests.by', { name: q.requester_name, when: formatInstant(q.created_at, locale) })}
            {q.note && <span className="muted"> — {q.note}</span>}
          </p>
          <div className="actions">
            <Download recordingId={q.recording_id} request={q} label={t('recordings.requests.fulfil')} />
            {refusing === q.id ? (
              <form
                className="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void refuse(q.id);
                }}
              >
                <label>
                  <span className="small">{t('recordings.reason')}</span>
                  <input value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
                <button type="submit" className="button" disabled={!reasonOk(reason)}>
                  {t('recordings.requests.refuse')}
                </button>
              </form>
            ) : (
              <button type="button" className="button" onClick={() => setRefusing(q.id)}>
                {t('recordings.requests.refuse')}
              </button>
            )}
          </div>
        </li>
      ))}
      {error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, error)}
        </p>
      )}
    </ul>
  );
}

/** "Gravações": Legal Mode sessions, their recordings and the parties' requests for copies. */
export function RecordingsPage() {
  const { t, locale } = useI18n();
  const rows = useLoad(() => api.recordings(), []);
  const requests = useLoad(() => api.recordingRequests(), []);
  const state = (r: RecordingRow) => t(`recording.${r.recording as 'not_recorded' | 'recording' | 'sealed'}`);
  return (
    <>
      <PageHeader title={t('section.admin.recordings')}>
        <p className="lead">{t('recordings.lead')}</p>
      </PageHeader>
      <p className="alert alert-info" role="note">
        {t('recordings.vault')}
      </p>
      <h2>{t('recordings.requests.title')}</h2>
      {requests.error !== null && <LoadError error={requests.error} retry={requests.reload} />}
      {requests.data && <Requests rows={requests.data} reload={() => (requests.reload(), rows.reload())} />}
      {rows.error !== null && <LoadError error={rows.error} retry={rows.reload} />}
      {!rows.data && rows.error === null && <Loading />}
      {rows.data && rows.data.length === 0 && <p className="empty">{t('recordings.empty')}</p>}
      {rows.data && rows.data.length > 0 && (
        <div className="table-wrap" role="region" aria-label={t('section.admin.recordings')} tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('recordings.col.start')}</th>
                <th scope="col">{t('recordings.col.client')}</th>
                <th scope="col">{t('recordings.col.lawyer')}</th>
                <th scope="col">{t('recordings.col.status')}</th>
                <th scope="col">{t('recordings.col.recording')}</th>
                <th scope="col">{t('recordings.col.segments')}</th>
                <th scope="col">{t('recordings.col.hash')}</th>
                <th scope="col">{t('recordings.col.requests')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('recordings.download')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.recording_id ?? r.session_id}>
                  <td className="nowrap">
                    <time dateTime={r.start}>{formatInstant(r.start, locale)}</time>
                  </td>
                  <td>{r.client_name}</td>
                  <td>{r.lawyer_name}</td>
                  <td>
                    <SessionStatusTag status={r.status} />
                  </td>
                  <td>
                    <span className={r.recording === 'sealed' ? 'tag tag-ok' : 'tag tag-neutral'}>{state(r)}</span>
                  </td>
                  <td>{r.segments}</td>
                  <td>{r.manifest_sha256 && <code className="hash" title={r.manifest_sha256}>{r.manifest_sha256.slice(0, 16)}…</code>}</td>
                  <td>{r.pending_requests}</td>
                  <td>{r.recording === 'sealed' && r.recording_id && <Download recordingId={r.recording_id} label={t('recordings.download')} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
