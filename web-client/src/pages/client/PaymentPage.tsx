import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, isApiError, type LegalSession, type Payment } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL } from '../../marketplace/money';
import { hasReceipt, nextPoll, paymentView, scheduleFailure, type PaymentView } from '../../marketplace/payment';
import { PriceBreakdown } from '../../marketplace/ui/PriceBreakdown';
import { loadSlots } from '../../marketplace/ui/RescheduleDialog';
import { useSessionWhen } from '../../marketplace/ui/SessionCard';
import { SlotPicker } from '../../marketplace/ui/SlotPicker';
import { PaymentStatusTag } from '../../marketplace/ui/StatusTag';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

/** Paid and not booked: the slot picker, Legal Mode, and "Agendar". */
function SchedulePanel({ payment, onBooked, onStale }: { payment: Payment; onBooked: (s: LegalSession) => void; onStale: () => void }) {
  const { t } = useI18n();
  const slots = useLoad(() => loadSlots(payment.lawyer_id), [payment.lawyer_id]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [legalMode, setLegalMode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) {
      setFailure(t('payment.pickFirst'));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onBooked(await api.schedule({ payment_id: payment.id, start: chosen, legal_mode: legalMode }));
    } catch (err) {
      const f = isApiError(err) ? scheduleFailure(err.code) : ({ kind: 'other' } as const);
      setFailure(f.kind === 'other' ? errorText(t, err) : t(f.key));
      if (f.kind === 'slot_gone') {
        setChosen(null);
        slots.reload();
      }
      if (f.kind === 'stale_payment') onStale();
      setBusy(false);
    }
  }

  return (
    <form className="card schedule-card" onSubmit={onSubmit} noValidate>
      <p className="alert alert-ok">{t('payment.paid')}</p>
      {failure && (
        <p className="alert alert-error" role="alert">
          {failure}
        </p>
      )}
      {slots.error !== null && <p className="alert alert-error">{errorText(t, slots.error)}</p>}
      {slots.data ? (
        <SlotPicker slots={slots.data.slots} lawyerZone={slots.data.time_zone} value={chosen} onChange={setChosen} disabled={busy} />
      ) : (
        slots.error === null && <Loading />
      )}
      <div className="legal-mode">
        <label className="check">
          <input type="checkbox" checked={legalMode} onChange={(e) => setLegalMode(e.target.checked)} aria-describedby="legal-mode-hint" />
          <span>{t('payment.legalMode')}</span>
        </label>
        <p id="legal-mode-hint" className="field-hint">
          {t('payment.legalMode.hint')}
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary button-large" disabled={busy || !slots.data}>
          {busy ? t('payment.scheduling') : t('payment.schedule')}
        </button>
        <button type="button" className="button button-quiet" onClick={slots.reload} disabled={busy}>
          {t('slots.refresh')}
        </button>
      </div>
    </form>
  );
}

function Booked({ sessionId, just }: { sessionId: string; just: LegalSession | null }) {
  const { t } = useI18n();
  const when = useSessionWhen();
  const session = useLoad(() => (just && just.id === sessionId ? Promise.resolve(just) : api.session(sessionId)), [sessionId]);
  return (
    <div className="card">
      <p className="alert alert-ok" role="status">
        {session.data ? t('payment.booked', { when: when(session.data) }) : t('common.loading')}
      </p>
      <Link className="button button-primary" to={`/client/consultations/${sessionId}`}>
        {t('payment.viewSession')}
      </Link>
    </div>
  );
}

function StatePanel({ view, payment, onBooked, onStale, onRefresh, just }: {
  view: PaymentView;
  payment: Payment;
  onBooked: (s: LegalSession) => void;
  onStale: () => void;
  onRefresh: () => void;
  just: LegalSession | null;
}) {
  const { t, locale } = useI18n();
  const retry = (
    <Link className="button" to={`/client/lawyers/${payment.lawyer_id}`}>
      {t('payment.tryAgain')}
    </Link>
  );
  switch (view.kind) {
    case 'confirming':
      return (
        <div className="card" role="status">
          <div className="loading">
            <span className="spinner" aria-hidden="true" />
            {t('payment.confirming')}
          </div>
          <p className="muted">{t('payment.confirmingHint')}</p>
        </div>
      );
    case 'confirmation_slow':
    case 'awaiting_payment':
      return (
        <div className="card" role="status">
          <p>{view.kind === 'confirmation_slow' ? t('payment.slow') : t('payment.awaiting')}</p>
          {view.kind === 'confirmation_slow' && <p className="muted">{t('payment.slowHint')}</p>}
          <div className="form-actions">
            {view.resumeUrl && (
              <a className="button button-primary" href={view.resumeUrl}>
                {t('payment.resume')}
              </a>
            )}
            <button type="button" className="button" onClick={onRefresh}>
              {t('common.refresh')}
            </button>
          </div>
        </div>
      );
    case 'processing':
      return (
        <div className="card" role="status">
          <p>{t('payment.processing')}</p>
          <p className="muted">{t('payment.processingHint')}</p>
          <button type="button" className="button" onClick={onRefresh}>
            {t('common.refresh')}
          </button>
        </div>
      );
    case 'choose_slot':
      return <SchedulePanel payment={payment} onBooked={onBooked} onStale={onStale} />;
    case 'booked':
      return <Booked sessionId={view.sessionId} just={just} />;
    case 'failed':
    case 'expired':
      return (
        <div className="card" role="status">
          <p>{view.kind === 'failed' ? t('payment.failed') : t('payment.expired')}</p>
          {retry}
        </div>
      );
    case 'refunded':
      return (
        <div className="card" role="status">
          <p>{t('payment.refunded', { amount: formatBRL(view.refundedCents, locale) })}</p>
          {view.sessionId && <Link to={`/client/consultations/${view.sessionId}`}>{t('payment.viewSession')}</Link>}
        </div>
      );
    case 'unknown':
      return <p className="card">{t('payment.unknown', { status: view.status })}</p>;
  }
}

export function PaymentPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useI18n();
  const returnedFromCheckout = params.get('checkout') === 'success';
  const [payment, setPayment] = useState<Payment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [polls, setPolls] = useState(0);
  const [round, setRound] = useState(0);
  const [just, setJust] = useState<LegalSession | null>(null);

  // Load, then keep asking while the status may still change by itself (bounded).
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (n: number) => {
      try {
        const p = await api.payment(id);
        if (!live) return;
        setPayment(p);
        setPolls(n);
        setError(null);
        const delay = nextPoll(p.status, n);
        if (delay !== null) timer = setTimeout(() => void tick(n + 1), delay);
      } catch (e) {
        if (live) setError(e);
      }
    };
    void tick(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, round]);

  const lawyer = useLoad(() => (payment ? api.lawyer(payment.lawyer_id) : Promise.resolve(null)), [payment?.lawyer_id]);
  const refresh = () => setRound((r) => r + 1);
  const view = payment ? paymentView(payment, { returnedFromCheckout, polls, now: new Date() }) : null;

  return (
    <>
      <PageHeader title={t('payment.title')}>
        {lawyer.data && <p className="lead">{t('payment.with', { name: lawyer.data.display_name })}</p>}
      </PageHeader>
      {error !== null && (
        <div className="alert alert-error" role="alert">
          {errorText(t, error)}{' '}
          <button type="button" className="button button-small" onClick={refresh}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {!payment && error === null && <Loading />}
      {payment && view && (
        <div className="payment-layout">
          <div className="payment-main">
            <StatePanel
              view={view}
              payment={payment}
              just={just}
              onBooked={(s) => {
                setJust(s);
                setPayment({ ...payment, session_id: s.id });
              }}
              onStale={refresh}
              onRefresh={refresh}
            />
          </div>
          <aside className="card payment-side">
            <p>
              <PaymentStatusTag status={payment.status} />
            </p>
            <PriceBreakdown feeCents={payment.lawyer_fee_cents} serviceFeeCents={payment.service_fee_cents} minutes={payment.consultation_minutes} />
            {hasReceipt(payment) && (
              <Link className="button button-quiet" to={`/client/payments/${payment.id}/receipt`}>
                {t('payment.receipt')}
              </Link>
            )}
          </aside>
        </div>
      )}
    </>
  );
}
