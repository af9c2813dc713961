import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL } from '../../marketplace/money';
import { hasReceipt, totalCents } from '../../marketplace/payment';
import { useSessionWhen } from '../../marketplace/ui/SessionCard';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { lawyerNames } from './PaymentsPage';

/** A printable receipt: the lawyer's fee and the service fee as two separate amounts. */
export function ReceiptPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { user } = useSignedIn();
  const when = useSessionWhen();
  const loaded = useLoad(async () => {
    const payment = await api.payment(id);
    const [lawyer, session, names] = await Promise.all([
      api.lawyer(payment.lawyer_id).catch(() => null),
      payment.session_id ? api.session(payment.session_id).catch(() => null) : Promise.resolve(null),
      lawyerNames([payment.lawyer_id]),
    ]);
    return { payment, lawyer, session, lawyerName: names.get(payment.lawyer_id) ?? null };
  }, [id]);
  const d = loaded.data;
  const p = d?.payment;

  return (
    <>
      <p className="breadcrumb no-print">
        <Link to="/client/payments">← {t('receipt.back')}</Link>
      </p>
      <PageHeader title={t('receipt.title')} />
      {loaded.error !== null && (
        <p className="alert alert-error" role="alert">
          {errorText(t, loaded.error)}
        </p>
      )}
      {!d && loaded.error === null && <Loading />}
      {d && p && !hasReceipt(p) && <p className="empty">{t('receipt.none')}</p>}
      {d && p && hasReceipt(p) && (
        <article className="card receipt">
          <header className="receipt-head">
            <span className="brand">
              <span className="brand-mark" aria-hidden="true">
                T
              </span>
              <span className="brand-name">{t('app.name')}</span>
            </span>
            <span className="muted">{t('receipt.issuer')}</span>
          </header>
          <dl className="facts">
            <dt>{t('receipt.number')}</dt>
            <dd className="mono">{p.id}</dd>
            {p.paid_at && (
              <>
                <dt>{t('receipt.paidAt')}</dt>
                <dd>
                  <time dateTime={p.paid_at}>{formatInstant(p.paid_at, locale)}</time>
                </dd>
              </>
            )}
            <dt>{t('receipt.client')}</dt>
            <dd>{user.display_name}</dd>
            <dt>{t('receipt.lawyer')}</dt>
            <dd>
              {d.lawyerName ?? t('payments.someLawyer')}
              {d.lawyer && <> · {t('lawyer.oab', { uf: d.lawyer.oab_state, number: d.lawyer.oab_number })}</>}
            </dd>
            <dt>{t('receipt.session')}</dt>
            <dd>{d.session ? when(d.session) : t('receipt.sessionNotBooked')}</dd>
          </dl>
          <table className="table receipt-lines">
            <thead>
              <tr>
                <th scope="col">{t('receipt.item')}</th>
                <th scope="col" className="num">
                  {t('receipt.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{t('receipt.lawyerFee', { minutes: p.consultation_minutes })}</td>
                <td className="num nowrap">{formatBRL(p.lawyer_fee_cents, locale)}</td>
              </tr>
              <tr>
                <td>{t('receipt.serviceFee')}</td>
                <td className="num nowrap">{formatBRL(p.service_fee_cents, locale)}</td>
              </tr>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('receipt.total')}</th>
                <td className="num nowrap">
                  <strong>{formatBRL(totalCents(p), locale)}</strong>
                </td>
              </tr>
              {p.refunded_cents > 0 && (
                <tr>
                  <th scope="row">{t('receipt.refunded')}</th>
                  <td className="num nowrap">−{formatBRL(p.refunded_cents, locale)}</td>
                </tr>
              )}
            </tfoot>
          </table>
          <p className="muted small">{t('receipt.note')}</p>
          <button type="button" className="button no-print" onClick={() => window.print()}>
            {t('common.print')}
          </button>
        </article>
      )}
    </>
  );
}
