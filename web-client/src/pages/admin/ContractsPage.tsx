import { useSearchParams } from 'react-router';
import { api, type ContractStatus } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { ContractTable } from '../contracts/ContractTable';

const STATUSES: readonly ContractStatus[] = ['draft', 'sent', 'accepted', 'declined', 'active', 'completed', 'terminated', 'expired'];

/** "Contratos" for admins: every contract, filtered by status; read only. */
export function AdminContractsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as ContractStatus) : undefined;
  const rows = useLoad(() => api.adminContracts(status), [status]);
  return (
    <>
      <PageHeader title={t('section.admin.contracts')}>
        <p className="lead">{t('contracts.lead.ADMIN')}</p>
      </PageHeader>
      <div className="filters">
        <Field id="contracts-status" label={t('contracts.filter.status')}>
          <select value={status ?? ''} onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}>
            <option value="">{t('contracts.filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`contractStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {rows.error !== null && <LoadError error={rows.error} retry={rows.reload} />}
      {!rows.data && rows.error === null && <Loading />}
      {rows.data && <ContractTable rows={rows.data} base="/admin/contracts" label={t('section.admin.contracts')} />}
    </>
  );
}
