import { Link } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { useI18n } from '../i18n/I18nProvider';
import { SECTIONS } from '../layout/nav';
import { PageHeader } from '../ui/PageHeader';

/** A role's home: its sections, each marked available or coming soon. */
export function RoleHomePage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  return (
    <>
      <PageHeader title={t('home.greeting', { name: user.display_name })}>
        <p className="lead">{t('home.intro')}</p>
      </PageHeader>
      <ul className="section-grid">
        {SECTIONS[user.role].map((s) => (
          <li key={s.path}>
            <Link to={s.path} className="section-card">
              <span className="section-card-title">{t(s.label)}</span>
              <span className="section-card-desc">{t(s.description)}</span>
              <span className={s.available ? 'tag tag-ok' : 'tag'}>
                {s.available ? t('home.available') : t('comingSoon.badge')}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
