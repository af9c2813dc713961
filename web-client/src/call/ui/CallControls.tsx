import { useI18n } from '../../i18n/I18nProvider';
import type { CallSession, MediaView } from '../CallSession';
import { CameraIcon, CameraOffIcon, ChatIcon, LeaveIcon, MicIcon, MicOffIcon, ScreenIcon } from './icons';

interface Props {
  session: CallSession;
  media: MediaView;
  connected: boolean;
  chatOpen: boolean;
  unread: number;
  onToggleChat: () => void;
  onLeave: () => void;
}

/** Mute, camera, screen, chat, leave: each a labelled button, usable by keyboard and thumb. */
export function CallControls({ session, media, connected, chatOpen, unread, onToggleChat, onLeave }: Props) {
  const { t } = useI18n();
  const canShare = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
  const micLabel = media.audioMuted ? t('call.unmute') : t('call.mute');
  const camLabel = media.videoMuted ? t('call.cameraStart') : t('call.cameraStop');
  const shareLabel = media.screen ? t('call.stopShare') : t('call.shareScreen');
  const chatLabel = unread > 0 && !chatOpen ? t('call.chatUnread', { count: unread }) : t('call.chat');
  return (
    <div className="controls" role="group" aria-label={t('call.controls')}>
      <button
        type="button"
        className={media.audioMuted ? 'control control-off' : 'control'}
        onClick={() => session.setMuted('audio', !media.audioMuted)}
        disabled={!media.microphone}
        aria-label={micLabel}
        title={micLabel}
      >
        {media.audioMuted || !media.microphone ? <MicOffIcon /> : <MicIcon />}
        <span className="control-text">{micLabel}</span>
      </button>
      <button
        type="button"
        className={media.videoMuted ? 'control control-off' : 'control'}
        onClick={() => session.setMuted('video', !media.videoMuted)}
        disabled={!media.camera}
        aria-label={camLabel}
        title={camLabel}
      >
        {media.videoMuted || !media.camera ? <CameraOffIcon /> : <CameraIcon />}
        <span className="control-text">{camLabel}</span>
      </button>
      {canShare && (
        <button
          type="button"
          className={media.screen ? 'control control-active control-share' : 'control control-share'}
          onClick={() => (media.screen ? session.stopScreenShare() : void session.startScreenShare())}
          disabled={!connected && !media.screen}
          aria-label={shareLabel}
          title={shareLabel}
        >
          <ScreenIcon />
          <span className="control-text">{shareLabel}</span>
        </button>
      )}
      <button
        id="call-chat-button"
        type="button"
        className={chatOpen ? 'control control-active' : 'control'}
        onClick={onToggleChat}
        aria-expanded={chatOpen}
        aria-controls="call-chat"
        aria-label={chatLabel}
        title={chatLabel}
      >
        <ChatIcon />
        <span className="control-text">{t('call.chat')}</span>
        {unread > 0 && !chatOpen && (
          <span className="control-badge" aria-hidden="true">
            {unread > 9 ? '9+' : unread}
          </span>
        )}
      </button>
      <button type="button" className="control control-leave" onClick={onLeave} aria-label={t('call.leave')} title={t('call.leave')}>
        <LeaveIcon />
        <span className="control-text">{t('call.leave')}</span>
      </button>
    </div>
  );
}
