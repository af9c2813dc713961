import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { errorText } from '../../ui/errors';
import type { CallSession } from '../CallSession';
import type { Phase } from '../machine';
import { CallControls } from './CallControls';
import { ChatPanel } from './ChatPanel';
import { useCall } from './hooks';
import { LegalPanel } from './LegalPanel';
import { LegalModeNotice, opensText } from './Notices';
import { QualityIndicator } from './QualityIndicator';
import { RoomAudio, VideoGrid } from './VideoGrid';

interface Props {
  session: CallSession;
  title: string;
  selfName: string;
  /** Where "back" goes when the call is over. */
  backTo: string;
  backLabel: string;
}

/** Why the call ended or cannot go on, and what the person can do. */
function Ended({ phase, session, backTo, backLabel }: { phase: Extract<Phase, { kind: 'left' | 'failed' | 'waiting' }>; session: CallSession; backTo: string; backLabel: string }) {
  const { t, locale } = useI18n();
  let text: string;
  let canRetry = true;
  if (phase.kind === 'waiting') {
    text = `${opensText(t, locale, phase.opensAt)} ${t('call.room.recheck')}`;
    canRetry = false;
  } else if (phase.kind === 'left') {
    text = t(`call.ended.${phase.reason}`);
    canRetry = phase.reason === 'replaced';
  } else if (phase.reason === 'refused') {
    text = errorText(t, new ApiError(0, phase.code ?? 'unknown', ''));
  } else {
    text = t(`call.failed.${phase.reason}`);
  }
  return (
    <div className="call-ended">
      <div className="card call-ended-card" role={phase.kind === 'failed' ? 'alert' : 'status'}>
        <p>{text}</p>
        {phase.kind === 'failed' && phase.code && <p className="muted small">{t('call.failed.code', { code: phase.code })}</p>}
        <div className="actions">
          {canRetry && (
            <button type="button" className="button button-primary" onClick={() => session.start()}>
              {phase.kind === 'left' ? t('call.ended.rejoin') : t('common.retry')}
            </button>
          )}
          <Link className="button" to={backTo}>
            {backLabel}
          </Link>
        </div>
      </div>
    </div>
  );
}

function StateBadge({ phase }: { phase: Phase }) {
  const { t } = useI18n();
  switch (phase.kind) {
    case 'joined':
      return <span className="call-state call-state-ok">{t('call.state.joined')}</span>;
    case 'reconnecting':
      return <span className="call-state call-state-warn">{t('call.state.reconnectingShort')}</span>;
    case 'joining':
      return <span className="call-state">{t('call.state.joining')}</span>;
    default:
      return null;
  }
}

/** The call: the video grid, the controls, the chat, and the connection's state. */
export function CallRoom({ session, title, selfName, backTo, backLabel }: Props) {
  const { t } = useI18n();
  const snapshot = useCall(session);
  const { call, media } = snapshot;
  const phase = call.phase;
  const [chatOpen, setChatOpen] = useState(false);
  const seen = useRef(0);
  const othersMessages = call.chat.filter((l) => !l.mine).length;
  if (chatOpen) seen.current = othersMessages;
  const unread = Math.max(0, othersMessages - seen.current);
  const connected = phase.kind === 'joined';
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Stable handlers: each tile's size observer is set up once.
  const sizes = useMemo(
    () => ({ onChoose: session.setVideoQuality.bind(session), onWidth: session.reportTileWidth.bind(session) }),
    [session],
  );

  // Joining unmounted the button that had the focus: start from the page's title.
  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  function closeChat() {
    setChatOpen(false);
    document.getElementById('call-chat-button')?.focus();
  }

  // Escape closes the chat, and the focus goes back to its button.
  useEffect(() => {
    if (!chatOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeChat();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [chatOpen]);

  if (phase.kind === 'left' || phase.kind === 'failed' || phase.kind === 'waiting') {
    return (
      <div className="call call-over">
        <header className="call-bar">
          <h1 className="call-title">{title}</h1>
        </header>
        {call.legalMode && <LegalModeNotice />}
        {call.legalMode && call.recording.state === 'recording' && phase.kind === 'left' && (
          <p className="call-notice call-notice-legal" role="status">
            {t('call.legal.afterCall')}
          </p>
        )}
        <Ended phase={phase} session={session} backTo={backTo} backLabel={backLabel} />
      </div>
    );
  }

  return (
    <div className={chatOpen ? 'call call-with-chat' : 'call'}>
      <header className="call-bar">
        <h1 className="call-title" ref={titleRef} tabIndex={-1}>
          {title}
        </h1>
        <StateBadge phase={phase} />
        {connected && <QualityIndicator quality={media.quality} sample={media.sample} />}
        <span className="call-count">{t('call.participants', { count: call.participants.length + 1 })}</span>
      </header>
      <div className="call-banners">
        {call.legalMode && <LegalModeNotice />}
        {call.legalMode && (
          <LegalPanel
            call={call}
            session={session}
            names={Object.fromEntries([...call.participants.map((p) => [p.identity, p.displayName]), [call.identity ?? '', selfName]])}
          />
        )}
        <div role="status" className="call-status">
          {phase.kind === 'reconnecting' && <p className="call-notice call-notice-warn">{t('call.state.reconnecting', { attempt: phase.attempt })}</p>}
          {phase.kind === 'joining' && phase.attempt > 0 && <p className="call-notice call-notice-warn">{t('call.state.retrying', { attempt: phase.attempt })}</p>}
          {media.problem && <p className="call-notice call-notice-warn">{t(`call.problem.${media.problem}`)}</p>}
          {media.screen && <p className="call-notice">{t('call.sharing')}</p>}
        </div>
      </div>
      <main className="call-main" id="main" tabIndex={-1}>
        <VideoGrid snapshot={snapshot} selfName={selfName} sizes={sizes} />
        {chatOpen && <ChatPanel lines={call.chat} connected={connected} onSend={(text) => session.sendChat(text)} onClose={closeChat} />}
      </main>
      <RoomAudio snapshot={snapshot} />
      <CallControls
        session={session}
        media={media}
        connected={connected}
        chatOpen={chatOpen}
        unread={unread}
        onToggleChat={() => setChatOpen((o) => !o)}
        onLeave={() => session.leave()}
      />
    </div>
  );
}
