import { Link } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { Section } from '../layout/nav';
import { PageHeader } from '../ui/PageHeader';

/** A section whose API does not exist yet: says so, and shows no made-up data. */
export function ComingSoonPage({ section }: { section: Section }) {
  const { t } = useI18n();
  const { home } = useSignedIn();
  return (
    <>
      <PageHeader title={t(section.label)}>
        <p className="lead">{t(section.description)}</p>
      </PageHeader>
      <div className="card coming-soon">
        <span className="tag">{t('comingSoon.badge')}</span>
        <p>{t('comingSoon.body')}</p>
        <Link to={home}>{t('common.backHome')}</Link>
      </div>
    </>
  );
}
