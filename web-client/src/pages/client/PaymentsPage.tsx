import { Link } from 'react-router';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL } from '../../marketplace/money';
import { hasReceipt, totalCents } from '../../marketplace/payment';
import { PaymentStatusTag } from '../../marketplace/ui/StatusTag';
import { formatInstant } from '../../time/format';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** Payments don't carry the lawyer's name: take it from the sessions, else the directory. */
export async function lawyerNames(lawyerIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const sessions = await api.sessions().catch(() => []);
  for (const s of sessions) names.set(s.lawyer_id, s.lawyer_name);
  const missing = [...new Set(lawyerIds)].filter((id) => !names.has(id));
  await Promise.all(
    missing.map((id) =>
      api.lawyer(id).then(
        (l) => void names.set(id, l.display_name),
        () => undefined, // no longer listed: shown without a name
      ),
    ),
  );
  return names;
}

export function PaymentsPage() {
  const { t, locale } = useI18n();
  const loaded = useLoad(async () => {
    const payments = await api.payments();
    return { payments, names: await lawyerNames(payments.map((p) => p.lawyer_id)) };
  }, []);
  const data = loaded.data;
  return (
    <>
      <PageHeader title={t('section.client.payments')}>
        <p className="lead">{t('section.client.payments.desc')}</p>
      </PageHeader>
      {loaded.error !== null && <LoadError error={loaded.error} retry={loaded.reload} />}
      {!data && loaded.error === null && <Loading />}
      {data && data.payments.length === 0 && <p className="empty">{t('payments.empty')}</p>}
      {data && data.payments.length > 0 && (
        <div className="table-wrap" role="region" aria-label={t('section.client.payments')} tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('payments.col.date')}</th>
                <th scope="col">{t('payments.col.lawyer')}</th>
                <th scope="col" className="num">{t('payments.col.fee')}</th>
                <th scope="col" className="num">{t('payments.col.service')}</th>
                <th scope="col" className="num">{t('payments.col.total')}</th>
                <th scope="col">{t('payments.col.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('payments.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.payments.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">
                    <time dateTime={p.paid_at ?? p.created_at}>{formatInstant(p.paid_at ?? p.created_at, locale)}</time>
                  </td>
                  <th scope="row">{data.names.get(p.lawyer_id) ?? t('payments.someLawyer')}</th>
                  <td className="num nowrap">{formatBRL(p.lawyer_fee_cents, locale)}</td>
                  <td className="num nowrap">{formatBRL(p.service_fee_cents, locale)}</td>
                  <td className="num nowrap">
                    <strong>{formatBRL(totalCents(p), locale)}</strong>
                  </td>
                  <td>
                    <PaymentStatusTag status={p.status} />
                  </td>
                  <td className="actions nowrap">
                    <Link className="button button-small" to={`/client/payments/${p.id}`}>
                      {t('payments.open')}
                    </Link>{' '}
                    {hasReceipt(p) && (
                      <Link className="button button-small button-quiet" to={`/client/payments/${p.id}/receipt`}>
                        {t('payments.receipt')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
