import { Link } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { PageHeader } from '../ui/PageHeader';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="card not-found">
      <PageHeader title={t('notFound.title')} />
      <p>{t('notFound.body')}</p>
      <Link to="/">{t('common.backHome')}</Link>
    </div>
  );
}
