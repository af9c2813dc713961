import { Link, Outlet } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';

/** Log-in and sign-up: one centred column. */
export function PublicLayout() {
  const { t } = useI18n();
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="public-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">T</span>
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <Outlet />
      </main>
      <footer className="public-footer">{t('app.tagline')}</footer>
    </div>
  );
}
