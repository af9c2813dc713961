import type { ReactNode } from 'react';
import type { Ticket } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { SessionStatusTag } from '../marketplace/ui/StatusTag';
import { formatInstant } from '../time/format';
import { parseAttendance } from './attendance';

export function TicketStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return status === 'resolved' ? <span className="tag tag-ok">{t('support.status.resolved')}</span> : <span className="tag tag-info">{t('support.status.open')}</span>;
}

export function outcomeKey(outcome: string): MessageKey | null {
  return ['refund_client', 'pay_lawyer', 'warn', 'dismiss'].includes(outcome) ? (`outcome.${outcome}` as MessageKey) : null;
}

/** Who joined and left the room, and when (no-show reports). */
export function AttendanceRecord({ ticket }: { ticket: Ticket }) {
  const { t, locale } = useI18n();
  const a = parseAttendance(ticket.attendance);
  if (!a) return null;
  const yesNo = (v: boolean | null) => (v === null ? t('common.none') : v ? t('attendance.yes') : t('attendance.no'));
  const who = (id: string | null) => (id === ticket.author_id ? ticket.author_name : t('attendance.other'));
  return (
    <section className="attendance" aria-label={t('attendance.title')}>
      <h3>{t('attendance.title')}</h3>
      {a.start && a.end && (
        <p className="small">
          {t('attendance.session', { start: formatInstant(a.start, locale), end: formatInstant(a.end, locale) })}{' '}
          {a.status && <SessionStatusTag status={a.status} />}
        </p>
      )}
      <dl className="attendance-flags">
        <div>
          <dt>{t('attendance.clientJoined')}</dt>
          <dd>{yesNo(a.clientJoined)}</dd>
        </div>
        <div>
          <dt>{t('attendance.lawyerJoined')}</dt>
          <dd>{yesNo(a.lawyerJoined)}</dd>
        </div>
      </dl>
      {a.events.length === 0 ? (
        <p className="muted small">{t('attendance.noEvents')}</p>
      ) : (
        <ol className="attendance-events small" aria-label={t('attendance.events')}>
          {a.events.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatInstant(e.at, locale)}</time> —{' '}
              {e.kind === 'left' ? t('attendance.left', { who: who(e.userId) }) : t('attendance.joined', { who: who(e.userId) })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** A ticket with its outcome; `children` adds actions (the admin's resolve). */
export function TicketCard({ ticket: tk, headingLevel = 3, showAuthor, children, full }: { ticket: Ticket; headingLevel?: 2 | 3; showAuthor?: boolean; children?: ReactNode; full?: boolean }) {
  const { t, locale } = useI18n();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const outcome = tk.outcome ? outcomeKey(tk.outcome) : null;
  return (
    <article className="card ticket" aria-labelledby={`ticket-${tk.id}`}>
      <header className="session-card-head">
        <H id={`ticket-${tk.id}`} className="ticket-subject">
          {tk.subject}
        </H>
        <div className="tags">
          <span className="tag tag-neutral">{t(tk.kind === 'no_show' ? 'support.kind.no_show' : 'support.kind.contact')}</span>
          <TicketStatusTag status={tk.status} />
        </div>
      </header>
      <p className="muted small">
        {showAuthor && <>{t('support.by', { name: tk.author_name })} · </>}
        <time dateTime={tk.created_at}>{t('support.openedAt', { when: formatInstant(tk.created_at, locale) })}</time>
      </p>
      <p className="ticket-body">{tk.body}</p>
      {tk.status === 'resolved' && (
        <div className="alert alert-ok ticket-outcome">
          <p>
            <strong>{t('support.outcome')}:</strong> {outcome ? t(outcome) : tk.outcome}
            {tk.resolved_at && (
              <span className="muted small"> · {t('support.resolvedAt', { when: formatInstant(tk.resolved_at, locale) })}</span>
            )}
          </p>
          {tk.resolution_note && (
            <p>
              <strong>{t('support.note')}:</strong> {tk.resolution_note}
            </p>
          )}
        </div>
      )}
      {(full || showAuthor) && <AttendanceRecord ticket={tk} />}
      {children}
    </article>
  );
}
