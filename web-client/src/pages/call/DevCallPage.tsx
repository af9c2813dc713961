import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { devRoomName } from '../../call/lobby';
import { CallScreen } from '../../call/ui/CallScreen';
import { useI18n } from '../../i18n/I18nProvider';

/** `/call/dev/:room`: a development room (only when the server runs with dev rooms on). */
export function DevCallPage() {
  const { room: param = '' } = useParams();
  const { t } = useI18n();
  const { user, home } = useSignedIn();
  const room = devRoomName(param);
  const getTicket = useCallback(() => api.devRoomJoin(room ?? ''), [room]);
  if (!room) {
    return (
      <main id="main" className="public-main">
        <div className="card" role="alert">
          <p>{t('call.dev.invalid')}</p>
          <Link to={home}>{t('common.backHome')}</Link>
        </div>
      </main>
    );
  }
  return (
    <CallScreen
      title={t('call.dev.title')}
      getTicket={getTicket}
      selfName={user.display_name}
      legalMode={false}
      home={home}
      backTo={home}
      backLabel={t('common.backHome')}
      context={<p className="lead">{t('call.dev.lead', { room })}</p>}
      testHook
    />
  );
}
