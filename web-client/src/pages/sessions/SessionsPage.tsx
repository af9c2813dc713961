import { useState } from 'react';
import { Link } from 'react-router';
import { api, type LegalSession } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { splitSessions } from '../../marketplace/sessions';
import { SessionCard, type Viewer } from '../../marketplace/ui/SessionCard';
import { UnbookedPayments } from '../../marketplace/ui/UnbookedPayments';
import { browserTimeZone } from '../../time/format';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** "Minhas consultas" (clients) and "Consultas" (lawyers): upcoming and past. */
export function SessionsPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const viewer: Viewer = user.role === 'LAWYER' ? 'LAWYER' : 'CLIENT';
  const sessions = useLoad(() => api.sessions(), []);
  const section = viewer === 'CLIENT' ? 'section.client.consultations' : 'section.lawyer.consultations';

  // A session acted on here stays where it was (with its confirmation) until the page reloads,
  // even if cancelling it makes it a past one.
  const [acted, setActed] = useState<ReadonlySet<string>>(new Set());
  const replace = (updated: LegalSession) => {
    setActed((a) => new Set(a).add(updated.id));
    sessions.setData((sessions.data ?? []).map((s) => (s.id === updated.id ? updated : s)));
  };
  const all = sessions.data ?? [];
  const split = splitSessions(all.filter((s) => !acted.has(s.id)));
  const upcoming = [...split.upcoming, ...all.filter((s) => acted.has(s.id))].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = split.past;

  return (
    <>
      <PageHeader title={t(section)}>
        <p className="lead">{t('sessions.zone', { zone: browserTimeZone() })}</p>
      </PageHeader>
      {sessions.error !== null && <LoadError error={sessions.error} retry={sessions.reload} />}
      {viewer === 'CLIENT' && <UnbookedPayments />}
      {sessions.loading && !sessions.data && <Loading />}
      {sessions.data && (
        <>
          <section aria-labelledby="upcoming" className="session-section">
            <h2 id="upcoming">{t('sessions.upcoming')}</h2>
            {upcoming.length === 0 ? (
              <div className="empty">
                <p>{t('sessions.emptyUpcoming')}</p>
                {viewer === 'CLIENT' && <Link to="/client/lawyers">{t('sessions.findLawyer')}</Link>}
              </div>
            ) : (
              upcoming.map((s) => <SessionCard key={s.id} session={s} viewer={viewer} onChange={replace} detailsLink />)
            )}
          </section>
          <section aria-labelledby="past" className="session-section">
            <h2 id="past">{t('sessions.past')}</h2>
            {past.length === 0 ? (
              <p className="empty">{t('sessions.emptyPast')}</p>
            ) : (
              past.map((s) => <SessionCard key={s.id} session={s} viewer={viewer} onChange={replace} detailsLink />)
            )}
          </section>
        </>
      )}
    </>
  );
}
