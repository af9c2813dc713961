import { useId, useState } from 'react';
import { api, OUTCOMES, type Outcome, type Ticket } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { FormModal } from '../../reviews/ui';
import { TicketCard } from '../../support/ui';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const NOTE_MAX = 2000;

function ResolveDialog({ ticket, onDone, onClose }: { ticket: Ticket; onDone: (t: Ticket) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [outcome, setOutcome] = useState<Outcome>(ticket.kind === 'no_show' ? 'refund_client' : 'dismiss');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <FormModal
      title={t('adminSupport.resolveTitle', { subject: ticket.subject })}
      submitLabel={t('adminSupport.resolve')}
      onClose={onClose}
      onSubmit={async () => {
        if (!note.trim()) {
          setError(t('adminSupport.noteMissing'));
          document.getElementById(`${id}-note`)?.focus();
          return false;
        }
        onDone(await api.resolveTicket(ticket.id, outcome, note.trim()));
        return true;
      }}
    >
      <Field id={`${id}-outcome`} label={t('adminSupport.outcome')} hint={outcome === 'refund_client' ? t('adminSupport.refundWarning') : undefined}>
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`outcome.${o}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-note`} label={t('adminSupport.note')} hint={t('adminSupport.noteHint')} error={error}>
        <textarea rows={3} value={note} maxLength={NOTE_MAX} onChange={(e) => { setNote(e.target.value); setError(undefined); }} />
      </Field>
    </FormModal>
  );
}

/** "Suporte": the queue of open (or resolved) tickets; resolve with an outcome and a note. */
export function SupportQueuePage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const queue = useLoad(() => api.supportQueue(status), [status]);
  const [resolving, setResolving] = useState<Ticket | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('section.admin.support')}>
        <p className="lead">{t('adminSupport.lead')}</p>
      </PageHeader>
      <div className="filters card">
        <Field id="support-status" label={t('adminSupport.status')}>
          <select value={status} onChange={(e) => { setDone(null); setStatus(e.target.value as 'open' | 'resolved'); }}>
            <option value="open">{t('support.status.open')}</option>
            <option value="resolved">{t('support.status.resolved')}</option>
          </select>
        </Field>
      </div>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      {queue.error !== null && <LoadError error={queue.error} retry={queue.reload} />}
      {queue.loading && !queue.data && <Loading />}
      {queue.data && queue.data.length === 0 && <p className="empty">{t('adminSupport.empty')}</p>}
      {queue.data?.map((tk) => (
        <TicketCard key={tk.id} ticket={tk} showAuthor>
          {tk.status === 'open' && (
            <div className="session-actions">
              <button type="button" className="button button-small button-primary" onClick={() => { setDone(null); setResolving(tk); }}>
                {t('adminSupport.resolve')}
                <span className="visually-hidden"> — {tk.subject}</span>
              </button>
            </div>
          )}
        </TicketCard>
      ))}
      {resolving && (
        <ResolveDialog
          ticket={resolving}
          onDone={(updated) => {
            queue.setData((queue.data ?? []).map((x) => (x.id === updated.id ? updated : x)));
            setResolving(null);
            setDone(t('adminSupport.resolved'));
          }}
          onClose={() => setResolving(null)}
        />
      )}
    </>
  );
}
