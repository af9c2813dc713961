import { Link } from 'react-router';
import { api } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { useLoad } from '../../ui/useLoad';
import { formatBRL } from '../money';
import { totalCents, unbooked } from '../payment';

/** A reminder, with a way back to the slot picker, for each paid and unbooked payment. */
export function UnbookedPayments({ lawyerId }: { lawyerId?: string }) {
  const { t, locale } = useI18n();
  const payments = useLoad(() => api.payments(), []);
  const open = unbooked(payments.data ?? [], lawyerId);
  if (open.length === 0) return null;
  return (
    <div className="alert notice-warn unbooked" role="status">
      <p>{t('unbooked.title')}</p>
      <ul>
        {open.map((p) => (
          <li key={p.id}>
            {formatBRL(totalCents(p), locale)} · {formatInstant(p.paid_at ?? p.created_at, locale)}{' '}
            <Link to={`/client/payments/${p.id}`}>{t('unbooked.choose')}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
