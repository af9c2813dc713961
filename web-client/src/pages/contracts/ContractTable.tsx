import { Link } from 'react-router';
import type { ContractSummary } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { ContractStatusTag } from './ContractStatusTag';

/** Contracts as a table; each title links to `${base}/{id}`. */
export function ContractTable({ rows, base, label }: { rows: readonly ContractSummary[]; base: string; label: string }) {
  const { t, locale } = useI18n();
  if (rows.length === 0) return <p className="empty">{t('contracts.empty')}</p>;
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('contracts.col.title')}</th>
            <th scope="col">{t('contracts.col.client')}</th>
            <th scope="col">{t('contracts.col.lawyer')}</th>
            <th scope="col">{t('contracts.col.status')}</th>
            <th scope="col">{t('contracts.col.version')}</th>
            <th scope="col">{t('contracts.col.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`${base}/${c.id}`}>{c.title}</Link>
                <div className="muted small">{t(`contractKind.${c.kind === 'consultation_terms' ? 'consultation_terms' : 'fee_agreement'}`)}</div>
              </td>
              <td>{c.client_name}</td>
              <td>{c.lawyer_name}</td>
              <td>
                <ContractStatusTag status={c.status} />
              </td>
              <td>{c.current_version}</td>
              <td className="nowrap">
                <time dateTime={c.updated_at}>{formatInstant(c.updated_at, locale)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
