import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { SessionCard } from '../../marketplace/ui/SessionCard';
import { browserTimeZone } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { SessionRecordings } from './SessionRecordings';

/** One consultation, with the same actions as in the list. */
export function SessionPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user } = useSignedIn();
  const viewer = user.role === 'LAWYER' ? 'LAWYER' : 'CLIENT';
  const session = useLoad(() => api.session(id), [id]);
  const back = viewer === 'CLIENT' ? '/client/consultations' : '/lawyer/consultations';
  return (
    <>
      <p className="breadcrumb">
        <Link to={back}>← {t('sessions.backToList')}</Link>
      </p>
      <PageHeader title={t('sessions.title')}>
        <p className="lead">{t('sessions.zone', { zone: browserTimeZone() })}</p>
      </PageHeader>
      {session.error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, session.error)}
        </p>
      )}
      {!session.data && session.error === null && <Loading />}
      {session.data && <SessionCard session={session.data} viewer={viewer} onChange={session.setData} headingLevel={2} />}
      {session.data?.legal_mode && <SessionRecordings sessionId={session.data.id} />}
    </>
  );
}
