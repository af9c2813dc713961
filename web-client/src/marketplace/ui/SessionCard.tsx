import { useState } from 'react';
import { NoShowDialog, ReviewDialog } from '../../reviews/ui';
import { Link } from 'react-router';
import { api, isApiError, type LegalSession } from '../../api/client';
import { REASON_MAX, REASON_MIN } from '../../forms/validation';
import { useI18n } from '../../i18n/I18nProvider';
import { formatTime, localDay } from '../../time/days';
import { browserTimeZone, formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { CLIENT_NOTICE_HOURS, clientMayChange, isLive, lawyerMayCancel, roomOpensAt } from '../sessions';
import { RescheduleDialog } from './RescheduleDialog';
import { LegalModeTag, SessionStatusTag } from './StatusTag';

export type Viewer = 'CLIENT' | 'LAWYER';

/** When a session happens, in the viewer's zone: `21/11/2026 13:00–14:00`. */
export function useSessionWhen() {
  const { locale } = useI18n();
  const zone = browserTimeZone();
  return (s: Pick<LegalSession, 'start' | 'end'>) => `${formatInstant(s.start, locale, zone)}–${formatTime(s.end, zone)}`;
}

type JoinState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'open' }
  | { kind: 'not_yet'; at: Date | null }
  | { kind: 'over' }
  | { kind: 'error'; error: unknown };

function JoinResult({ state, sessionId }: { state: JoinState; sessionId: string }) {
  const { t, locale } = useI18n();
  const zone = browserTimeZone();
  switch (state.kind) {
    case 'idle':
      return null;
    case 'busy':
      return <p className="muted">{t('sessions.joining')}</p>;
    case 'open':
      return (
        <p className="notice">
          {t('sessions.open')} <Link to={`/call/${sessionId}`}>{t('sessions.goToRoom')}</Link>
        </p>
      );
    case 'not_yet': {
      if (!state.at) return <p className="notice">{t('error.not_open_yet')}</p>;
      const today = localDay(new Date(), zone) === localDay(state.at, zone);
      return (
        <p className="notice">
          {today
            ? t('sessions.opensAt', { time: formatTime(state.at, zone) })
            : t('sessions.opensOn', { when: formatInstant(state.at, locale, zone) })}
        </p>
      );
    }
    case 'over':
      return <p className="notice">{t('sessions.over')}</p>;
    case 'error':
      return <p className="alert alert-error">{errorText(t, state.error)}</p>;
  }
}

interface Props {
  session: LegalSession;
  viewer: Viewer;
  onChange: (s: LegalSession) => void;
  /** Link to the session's own page (in lists). */
  detailsLink?: boolean;
  headingLevel?: 2 | 3;
}

/** One consultation: when, with whom, status, Legal Mode, and what the viewer may do now. */
export function SessionCard({ session: s, viewer, onChange, detailsLink, headingLevel = 3 }: Props) {
  const { t } = useI18n();
  const when = useSessionWhen();
  const [join, setJoin] = useState<JoinState>({ kind: 'idle' });
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | 'review' | 'no_show' | null>(null);
  const [reviewed, setReviewed] = useState(false);
  const [reported, setReported] = useState(false);
  const [done, setDone] = useState<{ ok: boolean; text: string } | null>(null);
  const live = isLive(s.status);
  const now = new Date();
  const clientCanChange = viewer === 'CLIENT' && clientMayChange(s, now);
  const canCancel = viewer === 'LAWYER' ? lawyerMayCancel(s) : clientCanChange;
  const area = viewer === 'CLIENT' ? '/client' : '/lawyer';
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `session-${s.id}`;

  async function onJoin() {
    setJoin({ kind: 'busy' });
    try {
      await api.join(s.id);
      setJoin({ kind: 'open' });
    } catch (e) {
      if (isApiError(e, 'not_open_yet')) setJoin({ kind: 'not_yet', at: roomOpensAt(e.message) });
      else if (isApiError(e, 'session_over')) setJoin({ kind: 'over' });
      else setJoin({ kind: 'error', error: e });
    }
  }

  async function onCancel(reason: string) {
    const result = await api.cancelSession(s.id, reason);
    setDialog(null);
    setJoin({ kind: 'idle' });
    onChange(result.session);
    setDone(result.refund === 'refunded' ? { ok: true, text: t('cancel.refunded') } : { ok: false, text: t('cancel.refundFailed') });
  }

  return (
    <article className="card session-card" aria-labelledby={headingId}>
      <header className="session-card-head">
        <Heading id={headingId} className="session-when">
          <time dateTime={s.start}>{when(s)}</time>
        </Heading>
        <div className="tags">
          <SessionStatusTag status={s.status} />
          {s.legal_mode && <LegalModeTag />}
        </div>
      </header>
      <p className="session-party">
        {viewer === 'CLIENT' ? t('sessions.withLawyer', { name: s.lawyer_name }) : t('sessions.withClient', { name: s.client_name })}
      </p>
      {s.cancel_reason && <p className="muted">{t('sessions.cancelReason', { reason: s.cancel_reason })}</p>}
      {viewer === 'CLIENT' && s.status === 'scheduled' && !clientCanChange && (
        <p className="muted small">{t('sessions.tooLate', { hours: CLIENT_NOTICE_HOURS })}</p>
      )}
      <div className="session-actions">
        {live && (
          <button type="button" className="button button-primary" onClick={onJoin} disabled={join.kind === 'busy'}>
            {t('sessions.join')}
          </button>
        )}
        {viewer === 'CLIENT' && clientCanChange && (
          <button type="button" className="button" onClick={() => setDialog('reschedule')}>
            {t('sessions.reschedule')}
          </button>
        )}
        {canCancel && (
          <button type="button" className="button button-danger-outline" onClick={() => setDialog('cancel')}>
            {t('sessions.cancel')}
          </button>
        )}
        {live && (
          <a className="button button-quiet" href={api.calendarUrl(s.id)} download={`tribuna-${s.id}.ics`}>
            {t('sessions.ics')}
          </a>
        )}
        {viewer === 'CLIENT' && (
          <Link className="button button-quiet" to={`/client/payments/${s.payment_id}/receipt`}>
            {t('sessions.receipt')}
          </Link>
        )}
        {viewer === 'CLIENT' && s.status === 'completed' && !reviewed && (
          <button type="button" className="button button-primary" onClick={() => setDialog('review')}>
            {t('review.action')}
          </button>
        )}
        {s.status !== 'cancelled' && Date.parse(s.end) <= now.getTime() && !reported && (
          <button type="button" className="button button-quiet" onClick={() => setDialog('no_show')}>
            {t('noShow.action')}
          </button>
        )}
        {detailsLink && (
          <Link className="button button-quiet" to={`${area}/consultations/${s.id}`}>
            {t('sessions.details')}
          </Link>
        )}
      </div>
      <div role="status" className="status-line">
        {join.kind !== 'idle' && <JoinResult state={join} sessionId={s.id} />}
        {done && <p className={done.ok ? 'alert alert-ok' : 'alert alert-error'}>{done.text}</p>}
      </div>
      {dialog === 'cancel' && (
        <ReasonDialog
          title={t('cancel.title', { when: when(s) })}
          body={viewer === 'CLIENT' ? t('cancel.clientBody', { hours: CLIENT_NOTICE_HOURS }) : t('cancel.lawyerBody')}
          hint={t('cancel.hint', { min: REASON_MIN, max: REASON_MAX })}
          confirmLabel={t('cancel.confirm')}
          dismissLabel={t('cancel.keep')}
          danger
          onConfirm={onCancel}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'review' && (
        <ReviewDialog
          session={s}
          onDone={() => {
            setDialog(null);
            setReviewed(true);
            setDone({ ok: true, text: t('review.done') });
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'no_show' && (
        <NoShowDialog
          session={s}
          onDone={() => {
            setDialog(null);
            setReported(true);
            setDone({ ok: true, text: t('noShow.done') });
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'reschedule' && (
        <RescheduleDialog
          session={s}
          onDone={(updated) => {
            setDialog(null);
            setJoin({ kind: 'idle' });
            onChange(updated);
            setDone({ ok: true, text: t('reschedule.done', { when: when(updated) }) });
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </article>
  );
}
