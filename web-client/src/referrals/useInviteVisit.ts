import { useEffect, useState } from 'react';
import { api, isApiError } from '../api/client';
import { isFresh, parseStoredVisit, shouldStoreVisit, VISIT_KEY, type StoredVisit } from './visit';

export type InviteVisitState =
  | { status: 'none' }
  | { status: 'checking' }
  | { status: 'ok'; visit: StoredVisit }
  /** The code is unknown, revoked, expired or used up; a fresh earlier visit still counts. */
  | { status: 'invalid'; visit: StoredVisit | null };

function readStored(): StoredVisit | null {
  try {
    return parseStoredVisit(localStorage.getItem(VISIT_KEY));
  } catch {
    return null;
  }
}

function store(v: StoredVisit): void {
  try {
    localStorage.setItem(VISIT_KEY, JSON.stringify(v));
  } catch {
    // storage refused (private mode): the visit is still used for this page
  }
}

// One request per code and page load, even when React runs effects twice.
const inFlight = new Map<string, Promise<StoredVisit | null>>();

function recordVisit(code: string): Promise<StoredVisit | null> {
  let p = inFlight.get(code);
  if (!p) {
    p = api.visitInvite(code).then(
      (v) => ({ visitId: v.visit_id, code, partnerName: v.partner_name, kind: v.kind, at: new Date().toISOString() }),
      (e: unknown) => {
        if (isApiError(e) && e.status === 404) return null;
        inFlight.delete(code);
        throw e;
      },
    );
    inFlight.set(code, p);
  }
  return p;
}

/**
 * The sign-up's invite: records the visit of `?invite=CODE` (unless this browser already holds
 * a fresh visit with the same code) and keeps the first touch for 30 days.
 */
export function useInviteVisit(code: string | null): InviteVisitState {
  const [state, setState] = useState<InviteVisitState>(() => {
    const stored = readStored();
    if (!code) return isFresh(stored, new Date()) ? { status: 'ok', visit: stored } : { status: 'none' };
    return { status: 'checking' };
  });
  useEffect(() => {
    if (!code) return;
    let live = true;
    const stored = readStored();
    const now = new Date();
    if (isFresh(stored, now) && stored.code === code) {
      setState({ status: 'ok', visit: stored });
      return;
    }
    recordVisit(code).then(
      (visit) => {
        if (!live) return;
        const existing = readStored();
        const fresh = isFresh(existing, new Date()) ? existing : null;
        if (!visit) {
          setState({ status: 'invalid', visit: fresh });
          return;
        }
        if (shouldStoreVisit(existing, new Date())) store(visit);
        setState({ status: 'ok', visit: fresh ?? visit });
      },
      () => {
        // The server could not be asked: sign up without attribution (or with an earlier one).
        if (live) setState(isFresh(stored, new Date()) ? { status: 'ok', visit: stored } : { status: 'none' });
      },
    );
    return () => {
      live = false;
    };
  }, [code]);
  return state;
}
