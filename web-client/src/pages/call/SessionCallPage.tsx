import { useCallback } from 'react';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { CallScreen } from '../../call/ui/CallScreen';
import { useI18n } from '../../i18n/I18nProvider';
import { useSessionWhen } from '../../marketplace/ui/SessionCard';
import { LegalModeTag, SessionStatusTag } from '../../marketplace/ui/StatusTag';
import { useLoad } from '../../ui/useLoad';

/** `/call/:id`: a consultation's call, for its client and lawyer. */
export function SessionCallPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { user, home } = useSignedIn();
  const when = useSessionWhen();
  const session = useLoad(() => api.session(id), [id]);
  const getTicket = useCallback(() => api.join(id), [id]);
  const s = session.data;
  const consultation = `${home}/consultations/${id}`;
  const context = s && (
    <dl className="facts call-facts">
      <dt>{t('call.when')}</dt>
      <dd>
        <time dateTime={s.start}>{when(s)}</time>
      </dd>
      <dt>{user.role === 'LAWYER' ? t('call.client') : t('call.lawyer')}</dt>
      <dd>{user.role === 'LAWYER' ? s.client_name : s.lawyer_name}</dd>
      <dt>{t('call.status')}</dt>
      <dd className="tags">
        <SessionStatusTag status={s.status} />
        {s.legal_mode && <LegalModeTag />}
      </dd>
    </dl>
  );
  return (
    <CallScreen
      title={t('call.title')}
      getTicket={getTicket}
      selfName={user.display_name}
      legalMode={s?.legal_mode ?? false}
      home={home}
      afterLeave={consultation}
      backTo={consultation}
      backLabel={t('call.backToConsultation')}
      context={context}
    />
  );
}
