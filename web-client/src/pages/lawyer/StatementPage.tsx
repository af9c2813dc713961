import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { csvFilename } from '../../referrals/report';
import { EntriesTable, PeriodPicker, TotalsGrid, usePeriod } from '../../referrals/ui';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** "Extrato": the lawyer's earnings for a period, totals by state and entries. */
export function StatementPage() {
  const { t } = useI18n();
  const [period, setPeriod] = usePeriod();
  const statement = useLoad(() => api.lawyerStatement({ from: period.from, to: period.to }), [period.from, period.to]);
  const s = statement.data;
  return (
    <>
      <PageHeader title={t('section.lawyer.statement')}>
        <p className="lead">{t('statement.lead')}</p>
      </PageHeader>
      <PeriodPicker id="statement" value={period} onChange={setPeriod} />
      {statement.error !== null && <LoadError error={statement.error} retry={statement.reload} />}
      {statement.loading && <Loading />}
      {s && (
        <>
          <TotalsGrid totals={s.totals} title={t('statement.totals')} />
          <div className="section-head">
            <h2>{t('statement.entries')}</h2>
            <a
              className="button button-small"
              href={api.lawyerStatementCsvUrl({ from: period.from, to: period.to })}
              download={csvFilename(t('section.lawyer.statement'), period.fromDate, period.toDate)}
            >
              {t('statement.csv')}
            </a>
          </div>
          {s.entries.length === 0 ? <p className="empty">{t('statement.empty')}</p> : <EntriesTable entries={s.entries} title={t('statement.entries')} />}
        </>
      )}
    </>
  );
}
