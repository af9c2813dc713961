import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { LegalModeTag, SessionStatusTag } from '../../marketplace/ui/StatusTag';
import { useSessionWhen } from '../../marketplace/ui/SessionCard';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

/** Where the video call will be. Until the SFU lands: the session's time and parties, honestly. */
export function CallPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { home } = useSignedIn();
  const when = useSessionWhen();
  const session = useLoad(() => api.session(id), [id]);
  const s = session.data;
  return (
    <>
      <PageHeader title={t('call.title')} />
      <div className="card coming-soon">
        <span className="tag">{t('comingSoon.badge')}</span>
        <p>{t('call.soon')}</p>
      </div>
      {session.error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, session.error)}
        </p>
      )}
      {!s && session.error === null && <Loading />}
      {s && (
        <div className="card account-card">
          <dl className="facts">
            <dt>{t('call.when')}</dt>
            <dd>
              <time dateTime={s.start}>{when(s)}</time>
            </dd>
            <dt>{t('call.client')}</dt>
            <dd>{s.client_name}</dd>
            <dt>{t('call.lawyer')}</dt>
            <dd>{s.lawyer_name}</dd>
            <dt>{t('call.status')}</dt>
            <dd className="tags">
              <SessionStatusTag status={s.status} />
              {s.legal_mode && <LegalModeTag />}
            </dd>
          </dl>
          <Link to={`${home}/consultations`}>{t('call.back')}</Link>
        </div>
      )}
    </>
  );
}
