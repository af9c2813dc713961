import type { ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import type { Role } from './api/client';
import { Guard } from './auth/Guard';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { I18nProvider, useI18n } from './i18n/I18nProvider';
import { AppLayout } from './layout/AppLayout';
import { ROLE_HOME, SECTIONS } from './layout/nav';
import { PublicLayout } from './layout/PublicLayout';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/admin/AuditPage';
import { UsersPage } from './pages/admin/UsersPage';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RoleHomePage } from './pages/RoleHomePage';
import { SignupPage } from './pages/SignupPage';
import { errorText } from './ui/errors';

/** Pages that work against the API today; every other section is "coming soon". */
const PAGES: Record<string, ComponentType> = {
  '/admin/users': UsersPage,
  '/admin/audit': AuditPage,
};

const roles = Object.keys(ROLE_HOME) as Role[];

function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Guard rule={{ kind: 'root' }} />} />
      <Route element={<Guard rule={{ kind: 'public_only' }}><PublicLayout /></Guard>}>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
      </Route>
      <Route element={<Guard rule={{ kind: 'signed_in' }}><AppLayout /></Guard>}>
        <Route path="/account" element={<AccountPage />} />
        {roles.map((role) => (
          <Route key={role} path={ROLE_HOME[role]} element={<Guard rule={{ kind: 'signed_in', roles: [role] }} />}>
            <Route index element={<RoleHomePage />} />
            {SECTIONS[role].map((s) => {
              const Page = PAGES[s.path];
              return <Route key={s.path} path={s.path} element={Page ? <Page /> : <ComingSoonPage section={s} />} />;
            })}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        ))}
      </Route>
      <Route element={<PublicLayout />}>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The server could not be reached to learn who is signed in. */
function Unavailable({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useI18n();
  return (
    <main className="public-main">
      <div className="card" role="alert">
        <h1>{t('app.name')}</h1>
        <p>{errorText(t, error)}</p>
        <button type="button" className="button button-primary" onClick={retry}>
          {t('common.retry')}
        </button>
      </div>
    </main>
  );
}

function Shell() {
  const { state, reload } = useSession();
  if (state.status === 'unavailable') return <Unavailable error={state.error} retry={reload} />;
  return <AppRoutes />;
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
