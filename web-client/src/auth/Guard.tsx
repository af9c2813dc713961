import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../ui/Loading';
import { decideAccess, type Rule } from './guard';
import { useSession } from './SessionProvider';

/** Applies an access rule; renders its children, or the nested routes when it has none. */
export function Guard({ rule, children }: { rule: Rule; children?: ReactNode }) {
  const { view } = useSession();
  const location = useLocation();
  const decision = decideAccess(view, rule, location);
  switch (decision.kind) {
    case 'wait':
      return <Loading />;
    case 'redirect':
      return <Navigate to={decision.to} replace />;
    case 'allow':
      return children ?? <Outlet />;
  }
}
