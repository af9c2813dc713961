import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { csvFilename, TOTAL_STATES } from '../../referrals/report';
import { CountGrid, EntriesTable, MoneyBars, PeriodPicker, TotalsGrid, usePeriod } from '../../referrals/ui';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const STATE_LABEL = {
  pending: 'statement.total.pending',
  approved: 'statement.total.approved',
  in_payout: 'statement.total.in_payout',
  paid: 'statement.total.paid',
} as const;

/** "Relatórios": clicks, sign-ups, referrals and commissions for a period; CSV download. */
export function ReportsPage() {
  const { t } = useI18n();
  const [period, setPeriod] = usePeriod();
  const report = useLoad(() => api.partnerReport({ from: period.from, to: period.to }), [period.from, period.to]);
  const r = report.data;
  return (
    <>
      <PageHeader title={t('section.partner.reports')}>
        <p className="lead">{t('report.lead')}</p>
      </PageHeader>
      <PeriodPicker id="report" value={period} onChange={setPeriod} />
      {report.error !== null && <LoadError error={report.error} retry={report.reload} />}
      {report.loading && <Loading />}
      {r && (
        <>
          <div className="section-head">
            <h2>{t('report.counts')}</h2>
            <a
              className="button button-small"
              href={api.partnerReportCsvUrl({ from: period.from, to: period.to })}
              download={csvFilename(t('section.partner.reports'), period.fromDate, period.toDate)}
            >
              {t('report.csv')}
            </a>
          </div>
          <CountGrid
            title={t('report.counts')}
            items={[
              { label: t('report.clicks'), value: r.clicks },
              { label: t('report.signups'), value: r.signups },
              { label: t('report.referredClients'), value: r.referred_clients },
              { label: t('report.referredLawyers'), value: r.referred_lawyers },
              { label: t('report.paidConsultations'), value: r.paid_consultations },
            ]}
          />
          <h2>{t('report.commissions')}</h2>
          <TotalsGrid totals={r.commissions} title={t('report.commissions')} />
          <MoneyBars
            title={t('report.chart')}
            bars={TOTAL_STATES.map((s) => ({ label: t(STATE_LABEL[s]), cents: r.commissions[`${s}_cents`] }))}
          />
          <h2>{t('report.entries')}</h2>
          {r.entries.length === 0 ? <p className="empty">{t('statement.empty')}</p> : <EntriesTable entries={r.entries} title={t('report.entries')} />}
        </>
      )}
    </>
  );
}
