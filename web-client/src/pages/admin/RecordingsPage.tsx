import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { SessionStatusTag } from '../../marketplace/ui/StatusTag';
import { formatInstant } from '../../time/format';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** "Gravações": Legal Mode sessions and their recording state (nothing is recorded yet). */
export function RecordingsPage() {
  const { t, locale } = useI18n();
  const rows = useLoad(() => api.recordings(), []);
  return (
    <>
      <PageHeader title={t('section.admin.recordings')}>
        <p className="lead">{t('recordings.lead')}</p>
      </PageHeader>
      <p className="alert alert-info" role="note">
        {t('recordings.notBuilt')}
      </p>
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
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.session_id}>
                  <td className="nowrap">
                    <time dateTime={r.start}>{formatInstant(r.start, locale)}</time>
                  </td>
                  <td>{r.client_name}</td>
                  <td>{r.lawyer_name}</td>
                  <td>
                    <SessionStatusTag status={r.status} />
                  </td>
                  <td>
                    <span className="tag tag-neutral">{r.recording === 'not_recorded' ? t('recording.not_recorded') : r.recording}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
