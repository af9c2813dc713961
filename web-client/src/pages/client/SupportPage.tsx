import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { TICKET_BODY_MAX } from '../../reviews/ui';
import { TicketCard } from '../../support/ui';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

const SUBJECT_MAX = 200;


/** "Suporte": a contact form and the person's tickets with their outcomes. */
export function SupportPage() {
  const { t } = useI18n();
  const { home } = useSignedIn();
  const tickets = useLoad(() => api.myTickets(), []);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<{ subject?: string; body?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found: typeof errors = {};
    if (!subject.trim()) found.subject = t('support.missing');
    if (!body.trim()) found.body = t('support.missing');
    setErrors(found);
    setFailure(null);
    setDone(null);
    if (found.subject || found.body) {
      document.getElementById(found.subject ? 'support-subject' : 'support-body')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.contactSupport(subject.trim(), body.trim());
      tickets.setData([created, ...(tickets.data ?? [])]);
      setSubject('');
      setBody('');
      setDone(t('support.sent'));
    } catch (err) {
      setFailure(errorText(t, err));
    }
    setBusy(false);
  }

  return (
    <>
      <PageHeader title={t('section.client.support')}>
        <p className="lead">{t('support.lead')}</p>
      </PageHeader>
      <section className="card" aria-labelledby="support-contact">
        <h2 id="support-contact">{t('support.contact')}</h2>
        {failure && (
          <p className="alert alert-error" role="alert">
            {failure}
          </p>
        )}
        <form noValidate onSubmit={onSubmit}>
          <Field id="support-subject" label={t('support.subject')} hint={t('support.subjectHint', { max: SUBJECT_MAX })} error={errors.subject}>
            <input type="text" value={subject} maxLength={SUBJECT_MAX} onChange={(e) => setSubject(e.target.value)} required />
          </Field>
          <Field id="support-body" label={t('support.body')} hint={t('support.bodyHint', { max: TICKET_BODY_MAX })} error={errors.body}>
            <textarea rows={5} value={body} maxLength={TICKET_BODY_MAX} onChange={(e) => setBody(e.target.value)} required />
          </Field>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('support.send')}
          </button>
        </form>
        <div role="status" className="status-line">
          {done && <p className="alert alert-ok">{done}</p>}
        </div>
      </section>
      <section aria-labelledby="support-mine" className="session-section">
        <h2 id="support-mine">{t('support.mine')}</h2>
        {tickets.error !== null && <LoadError error={tickets.error} retry={tickets.reload} />}
        {!tickets.data && tickets.error === null && <Loading />}
        {tickets.data && tickets.data.length === 0 && <p className="empty">{t('support.empty')}</p>}
        {tickets.data?.map((tk) => (
          <TicketCard key={tk.id} ticket={tk}>
            <Link className="button button-small button-quiet" to={`${home}/support/${tk.id}`}>
              {t('common.details')}
              <span className="visually-hidden"> — {tk.subject}</span>
            </Link>
          </TicketCard>
        ))}
      </section>
    </>
  );
}

/** One ticket, with the attendance record of a no-show report. */
export function TicketPage() {
  const { t } = useI18n();
  const { home } = useSignedIn();
  const { id = '' } = useParams();
  const ticket = useLoad(() => api.ticket(id), [id]);
  return (
    <>
      <PageHeader title={ticket.data?.subject ?? t('section.client.support')}>
        <p>
          <Link to={`${home}/support`}>{t('support.back')}</Link>
        </p>
      </PageHeader>
      {ticket.error !== null && <LoadError error={ticket.error} retry={ticket.reload} />}
      {!ticket.data && ticket.error === null && <Loading />}
      {ticket.data && <TicketCard ticket={ticket.data} headingLevel={2} full />}
    </>
  );
}
