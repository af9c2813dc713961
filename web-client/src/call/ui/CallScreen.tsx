import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import type { JoinTicket } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { usePageTitle } from '../../ui/usePageTitle';
import { CallSession, type InboundStats } from '../CallSession';
import { CallRoom } from './CallRoom';
import { DeviceCheck, type JoinChoice } from './DeviceCheck';
import './call.css';

declare global {
  interface Window {
    /** Only in development rooms, for the browser tests: the subscribe connection's media. */
    __tribunaCall?: { stats: () => Promise<InboundStats>; phase: () => string; restartIce: () => void };
  }
}

interface Props {
  title: string;
  getTicket: () => Promise<JoinTicket>;
  selfName: string;
  legalMode: boolean;
  /** The dashboard (the brand link). */
  home: string;
  /** Where leaving the call goes (default: `home`). */
  afterLeave?: string;
  backTo: string;
  backLabel: string;
  context?: ReactNode;
  /** Expose `window.__tribunaCall` (development rooms only). */
  testHook?: boolean;
}

/** The call page: the device check, then the call; leaving goes to `afterLeave` (or the dashboard). */
export function CallScreen({ title, getTicket, selfName, legalMode, home, afterLeave, backTo, backLabel, context, testHook }: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [session, setSession] = useState<CallSession | null>(null);
  const disposal = useRef<{ session: CallSession; timer: ReturnType<typeof setTimeout> } | null>(null);
  usePageTitle(title);

  const onJoin = useCallback(
    (choice: JoinChoice) => {
      const s = new CallSession({
        getTicket,
        media: choice.media,
        audioMuted: choice.audioMuted,
        videoMuted: choice.videoMuted,
        log: (message, detail) => console.debug(`[call] ${message}`, detail ?? ''),
      });
      setSession(s);
      s.start();
    },
    [getTicket],
  );

  // The session lives as long as the page. (Disposal is deferred a tick so that React's
  // development double-mount does not end a call it is about to keep.)
  useEffect(() => {
    if (!session) return;
    if (disposal.current?.session === session) {
      clearTimeout(disposal.current.timer);
      disposal.current = null;
    }
    const onPageHide = () => session.dispose();
    window.addEventListener('pagehide', onPageHide);
    // A new network (back online, Wi-Fi to mobile data): find new paths for the media. The
    // connection's `change` also fires when its speed estimates move; only a new type counts.
    const network = (navigator as Navigator & { connection?: EventTarget & { type?: string } }).connection;
    let networkType = network?.type;
    const onOnline = () => session.restartIce();
    const onNetworkChange = () => {
      if (network?.type === networkType) return;
      networkType = network?.type;
      session.restartIce();
    };
    window.addEventListener('online', onOnline);
    network?.addEventListener('change', onNetworkChange);
    const unsubscribe = session.subscribe(() => {
      const phase = session.getSnapshot().call.phase;
      if (phase.kind === 'left' && phase.reason === 'self') navigate(afterLeave ?? home);
    });
    if (testHook) {
      window.__tribunaCall = {
        stats: () => session.inboundStats(),
        phase: () => session.getSnapshot().call.phase.kind,
        restartIce: () => session.restartIce(),
      };
    }
    return () => {
      unsubscribe();
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('online', onOnline);
      network?.removeEventListener('change', onNetworkChange);
      if (testHook) delete window.__tribunaCall;
      disposal.current = { session, timer: setTimeout(() => session.dispose(), 0) };
    };
  }, [session, navigate, home, afterLeave, testHook]);

  if (session) {
    return <CallRoom session={session} title={title} selfName={selfName} backTo={backTo} backLabel={backLabel} />;
  }
  return (
    <div className="call-lobby">
      <header className="call-lobby-bar">
        <Link to={home} className="brand">
          <span className="brand-mark" aria-hidden="true">T</span>
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="call-lobby-main">
        <p className="breadcrumb">
          <Link to={backTo}>← {backLabel}</Link>
        </p>
        <h1 tabIndex={-1}>{title}</h1>
        <DeviceCheck getTicket={getTicket} onJoin={onJoin} legalMode={legalMode} context={context} />
      </main>
    </div>
  );
}
