import type { ComponentType } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from './api/client';
import { Guard } from './auth/Guard';
import { CALL_ROLES } from './auth/guard';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { I18nProvider, useI18n } from './i18n/I18nProvider';
import { AppLayout } from './layout/AppLayout';
import { ROLE_HOME, SECTIONS } from './layout/nav';
import { PublicLayout } from './layout/PublicLayout';
import { AccountPage } from './pages/AccountPage';
import { AuditPage } from './pages/admin/AuditPage';
import { AdminPayoutsPage } from './pages/admin/PayoutsPage';
import { RecordingsPage } from './pages/admin/RecordingsPage';
import { CallsPage } from './pages/admin/CallsPage';
import { AdminReviewsPage } from './pages/admin/ReviewsPage';
import { SupportQueuePage } from './pages/admin/SupportQueuePage';
import { SupportPage, TicketPage } from './pages/client/SupportPage';
import { LawyerReviewsPage } from './pages/lawyer/ReviewsPage';
import { StatementPage } from './pages/lawyer/StatementPage';
import { InvitesPage } from './pages/partner/InvitesPage';
import { PartnerPayoutsPage } from './pages/partner/PayoutsPage';
import { ReportsPage } from './pages/partner/ReportsPage';
import { LawyersPage } from './pages/admin/LawyersPage';
import { UsersPage } from './pages/admin/UsersPage';
import { FindLawyerPage } from './pages/client/FindLawyerPage';
import { LawyerProfilePage } from './pages/client/LawyerProfilePage';
import { PaymentPage } from './pages/client/PaymentPage';
import { PaymentsPage } from './pages/client/PaymentsPage';
import { ReceiptPage } from './pages/client/ReceiptPage';
import { AvailabilityPage } from './pages/lawyer/AvailabilityPage';
import { LawyerOwnProfilePage } from './pages/lawyer/ProfilePage';
import { DevCallPage } from './pages/call/DevCallPage';
import { SessionCallPage } from './pages/call/SessionCallPage';
import { SessionPage } from './pages/sessions/SessionPage';
import { SessionsPage } from './pages/sessions/SessionsPage';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { AdminContractsPage } from './pages/admin/ContractsPage';
import { ContractPage } from './pages/contracts/ContractPage';
import { ContractsPage } from './pages/contracts/ContractsPage';
import { TemplatesPage } from './pages/lawyer/TemplatesPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RoleHomePage } from './pages/RoleHomePage';
import { SignupPage } from './pages/SignupPage';
import { errorText } from './ui/errors';

/** Pages that work against the API today; every other section is "coming soon". */
const PAGES: Record<string, ComponentType> = {
  '/client/lawyers': FindLawyerPage,
  '/client/consultations': SessionsPage,
  '/client/payments': PaymentsPage,
  '/client/support': SupportPage,
  '/client/contracts': ContractsPage,
  '/lawyer/contracts': ContractsPage,
  '/lawyer/templates': TemplatesPage,
  '/admin/contracts': AdminContractsPage,
  '/lawyer/profile': LawyerOwnProfilePage,
  '/lawyer/availability': AvailabilityPage,
  '/lawyer/consultations': SessionsPage,
  '/lawyer/reviews': LawyerReviewsPage,
  '/lawyer/statement': StatementPage,
  '/partner/invites': InvitesPage,
  '/partner/reports': ReportsPage,
  '/partner/payouts': PartnerPayoutsPage,
  '/admin/users': UsersPage,
  '/admin/lawyers': LawyersPage,
  '/admin/audit': AuditPage,
  '/admin/reviews': AdminReviewsPage,
  '/admin/support': SupportQueuePage,
  '/admin/payouts': AdminPayoutsPage,
  '/admin/recordings': RecordingsPage,
  '/admin/calls': CallsPage,
};

/** Pages below a section (reached from it, not from the sidebar). Stripe sends the browser
 *  back to `/client/payments/{id}?checkout=success` or `/client/lawyers/{id}?checkout=cancelled`. */
const SUBPAGES: Record<Role, readonly { path: string; Page: ComponentType }[]> = {
  CLIENT: [
    { path: '/client/lawyers/:id', Page: LawyerProfilePage },
    { path: '/client/payments/:id', Page: PaymentPage },
    { path: '/client/payments/:id/receipt', Page: ReceiptPage },
    { path: '/client/consultations/:id', Page: SessionPage },
    { path: '/client/support/:id', Page: TicketPage },
    { path: '/client/contracts/:id', Page: ContractPage },
  ],
  LAWYER: [
    { path: '/lawyer/consultations/:id', Page: SessionPage },
    { path: '/lawyer/contracts/:id', Page: ContractPage },
  ],
  PARTNER: [],
  ADMIN: [{ path: '/admin/contracts/:id', Page: ContractPage }],
};

const roles = Object.keys(ROLE_HOME) as Role[];

/** A partner's invite link is `/register?invite=CODE` (the server's name for sign-up). */
function RegisterRedirect() {
  const { search } = useLocation();
  return <Navigate to={`/signup${search}`} replace />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Guard rule={{ kind: 'root' }} />} />
      <Route path="/register" element={<RegisterRedirect />} />
      <Route element={<Guard rule={{ kind: 'public_only' }}><PublicLayout /></Guard>}>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
      </Route>
      {/* The call page has its own full-screen layout, without the sidebar. */}
      <Route path="/call/dev/:room" element={<Guard rule={{ kind: 'signed_in' }}><DevCallPage /></Guard>} />
      <Route path="/call/:id" element={<Guard rule={{ kind: 'signed_in', roles: CALL_ROLES }}><SessionCallPage /></Guard>} />
      <Route element={<Guard rule={{ kind: 'signed_in' }}><AppLayout /></Guard>}>
        <Route path="/account" element={<AccountPage />} />
        {roles.map((role) => (
          <Route key={role} path={ROLE_HOME[role]} element={<Guard rule={{ kind: 'signed_in', roles: [role] }} />}>
            <Route index element={<RoleHomePage />} />
            {SECTIONS[role].map((s) => {
              const Page = PAGES[s.path];
              return <Route key={s.path} path={s.path} element={Page ? <Page /> : <ComingSoonPage section={s} />} />;
            })}
            {SUBPAGES[role].map(({ path, Page }) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
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
