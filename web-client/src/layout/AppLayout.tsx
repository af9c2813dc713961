import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSignedIn, useSession } from '../auth/SessionProvider';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { SECTIONS } from './nav';

/** The signed-in shell: top bar, the role's sidebar (a menu on small screens), content. */
export function AppLayout() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { logout } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const { user, home } = session;

  // After each navigation: close the menu and move focus to the new page's heading,
  // so screen-reader and keyboard users start at the content.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    sidebar.current?.querySelector<HTMLElement>('a')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  async function onLogout() {
    await logout();
    navigate('/login', { replace: true });
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span className="menu-icon" aria-hidden="true" />
          {t('nav.menu')}
        </button>
        <Link to={home} className="brand">
          <span className="brand-mark" aria-hidden="true">T</span>
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <span className="role-badge">{t(`role.${user.role}`)}</span>
        <div className="topbar-end">
          <span className="whoami">{t('nav.signedInAs', { name: user.display_name })}</span>
          <LanguageSwitch />
          <button type="button" className="button button-quiet" onClick={onLogout}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <div className="shell">
        <nav
          id="sidebar"
          ref={sidebar}
          className={menuOpen ? 'sidebar sidebar-open' : 'sidebar'}
          aria-label={t('nav.main')}
        >
          <ul>
            <li>
              <NavLink to={home} end>
                {t('nav.home')}
              </NavLink>
            </li>
            {SECTIONS[user.role].map((s) => (
              <li key={s.path}>
                <NavLink to={s.path}>
                  <span>{t(s.label)}</span>
                  {!s.available && <span className="soon-tag">{t('comingSoon.badge')}</span>}
                </NavLink>
              </li>
            ))}
          </ul>
          <ul className="sidebar-footer">
            <li>
              <NavLink to="/account">{t('nav.account')}</NavLink>
            </li>
            {/* On small screens the top bar has no room: language and logout live here. */}
            <li className="sidebar-mobile-only">
              <p className="muted">{t('nav.signedInAs', { name: user.display_name })}</p>
              <LanguageSwitch />
              <button type="button" className="button button-block" onClick={onLogout}>
                {t('nav.logout')}
              </button>
            </li>
          </ul>
        </nav>
        {menuOpen && <div className="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
