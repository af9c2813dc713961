import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL } from '../../marketplace/money';
import { groupByPayout } from '../../referrals/report';
import { EntriesTable, PeriodPicker, usePeriod } from '../../referrals/ui';
import { formatInstant } from '../../time/format';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** "Pagamentos": the period's commissions already in payouts, one group per payout. */
export function PartnerPayoutsPage() {
  const { t, locale } = useI18n();
  const [period, setPeriod] = usePeriod();
  const report = useLoad(() => api.partnerReport({ from: period.from, to: period.to }), [period.from, period.to]);
  const r = report.data;
  const groups = r ? groupByPayout(r.entries) : [];
  return (
    <>
      <PageHeader title={t('section.partner.payouts')}>
        <p className="lead">{t('partnerPayouts.lead')}</p>
      </PageHeader>
      <PeriodPicker id="payouts" value={period} onChange={setPeriod} />
      {report.error !== null && <LoadError error={report.error} retry={report.reload} />}
      {report.loading && <Loading />}
      {r && (
        <>
          <p className="card">
            {t('partnerPayouts.awaiting', { amount: formatBRL(r.commissions.approved_cents, locale), pending: formatBRL(r.commissions.pending_cents, locale) })}
          </p>
          {groups.length === 0 && <p className="empty">{t('partnerPayouts.empty')}</p>}
          {groups.map((g) => (
            <section key={g.payoutId} className="card payout-group" aria-labelledby={`payout-${g.payoutId}`}>
              <header className="session-card-head">
                <h2 id={`payout-${g.payoutId}`}>{t('partnerPayouts.payout', { id: g.payoutId.slice(0, 8) })}</h2>
                <span className={g.paid ? 'tag tag-ok' : 'tag tag-info'}>{t(g.paid ? 'partnerPayouts.paid' : 'partnerPayouts.inPayout')}</span>
              </header>
              <p>
                <strong>{formatBRL(g.cents, locale)}</strong> · {g.count === 1 ? t('partnerPayouts.countOne') : t('partnerPayouts.count', { count: g.count })} ·{' '}
                <time dateTime={g.last}>{formatInstant(g.last, locale)}</time>
              </p>
              <EntriesTable entries={r.entries.filter((e) => e.payout_id === g.payoutId)} title={t('partnerPayouts.payout', { id: g.payoutId.slice(0, 8) })} />
            </section>
          ))}
        </>
      )}
    </>
  );
}
