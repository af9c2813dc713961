import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { JoinTicket } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { errorText } from '../../ui/errors';
import { roomStatusFromError, meterPercent, type RoomStatus } from '../lobby';
import { waitDelay } from '../machine';
import { useAudioLevel, useDevices, usePreview, useSignalingCheck, type DeviceChoice } from './hooks';
import { LegalModeNotice, opensText } from './Notices';
import { VideoView } from './VideoView';

export interface JoinChoice {
  media: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
}

interface Props {
  getTicket: () => Promise<JoinTicket>;
  onJoin: (choice: JoinChoice) => void;
  /** Known before the ticket (from the session): Legal Mode. */
  legalMode: boolean;
  /** The session's time and parties, or the development room's note. */
  context?: ReactNode;
}

function RoomStatusLine({ status, onRetry }: { status: RoomStatus; onRetry: () => void }) {
  const { t, locale } = useI18n();
  switch (status.kind) {
    case 'checking':
      return <p className="check-line check-pending">{t('call.room.checking')}</p>;
    case 'open':
      return <p className="check-line check-ok">{t('call.room.open')}</p>;
    case 'waiting':
      return (
        <p className="check-line check-wait">
          {opensText(t, locale, status.opensAt)} {t('call.room.recheck')}
        </p>
      );
    case 'over':
      return <p className="check-line check-bad">{t('call.room.over')}</p>;
    case 'cancelled':
      return <p className="check-line check-bad">{t('call.room.cancelled')}</p>;
    case 'error':
      return (
        <p className="check-line check-bad">
          {errorText(t, status.error)}{' '}
          <button type="button" className="button button-small" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </p>
      );
  }
}

/** Before joining: camera preview, microphone level, device choice, the server's reachability
 *  and whether the room is open (a waiting room until it is). */
export function DeviceCheck({ getTicket, onJoin, legalMode, context }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<DeviceChoice>({ cameraId: null, microphoneId: null });
  const [attempt, setAttempt] = useState(0);
  const preview = usePreview(choice, attempt);
  const devices = useDevices(preview.stream);
  const camera = preview.stream?.getVideoTracks()[0] ?? null;
  const microphone = preview.stream?.getAudioTracks()[0] ?? null;
  const level = useAudioLevel(microphone);
  const [audioMuted, setAudioMuted] = useState(false);
  const [videoMuted, setVideoMuted] = useState(false);
  const [status, setStatus] = useState<RoomStatus>({ kind: 'checking' });
  const [checks, setChecks] = useState(0);
  const [autoJoin, setAutoJoin] = useState(false);
  const joined = useRef(false);
  const network = useSignalingCheck(status.kind === 'open' ? status.ticket.signaling_url : null);

  useEffect(() => {
    let live = true;
    getTicket().then(
      (ticket) => live && setStatus({ kind: 'open', ticket }),
      (e: unknown) => live && setStatus(roomStatusFromError(e)),
    );
    return () => {
      live = false;
    };
  }, [getTicket, checks]);

  // The waiting room: ask again just after the opening time.
  useEffect(() => {
    if (status.kind !== 'waiting') return;
    const timer = setTimeout(() => setChecks((n) => n + 1), waitDelay(status.opensAt?.toISOString() ?? null, Date.now()));
    return () => clearTimeout(timer);
  }, [status]);

  const join = useCallback(() => {
    if (joined.current) return;
    joined.current = true;
    onJoin({ media: preview.handOver(), audioMuted, videoMuted });
  }, [onJoin, preview, audioMuted, videoMuted]);

  useEffect(() => {
    if (autoJoin && status.kind === 'open' && !preview.loading) join();
  }, [autoJoin, status, preview.loading, join]);

  const open = status.kind === 'open';
  const closedForGood = status.kind === 'over' || status.kind === 'cancelled';
  const cameraId = choice.cameraId ?? camera?.getSettings().deviceId ?? '';
  const microphoneId = choice.microphoneId ?? microphone?.getSettings().deviceId ?? '';
  const percent = meterPercent(audioMuted ? 0 : level);

  return (
    <div className="device-check">
      {context}
      {(legalMode || (open && status.ticket.legal_mode)) && <LegalModeNotice />}
      <div className="check-body">
        <section className="check-preview" aria-label={t('call.check.preview')}>
          <div className="check-video">
            {camera && !videoMuted ? (
              <VideoView stream={preview.stream} mirrored />
            ) : (
              <div className="check-novideo">{preview.loading ? t('common.loading') : camera ? t('call.cameraOff') : t('call.check.noCamera')}</div>
            )}
          </div>
          <div className="check-toggles">
            <label className="check-toggle">
              <input type="checkbox" checked={audioMuted} disabled={!microphone} onChange={(e) => setAudioMuted(e.target.checked)} />
              {t('call.check.startMuted')}
            </label>
            <label className="check-toggle">
              <input type="checkbox" checked={videoMuted} disabled={!camera} onChange={(e) => setVideoMuted(e.target.checked)} />
              {t('call.check.startCameraOff')}
            </label>
          </div>
        </section>
        <section className="check-side" aria-labelledby="check-title">
          <h2 id="check-title">{t('call.check.title')}</h2>
          {preview.problem && (
            <div className="alert alert-error" role="alert">
              <p>{t(`call.check.media.${preview.problem}`)}</p>
              {!preview.stream && <p>{t('call.check.withoutMedia')}</p>}
              <button type="button" className="button button-small" onClick={() => setAttempt((n) => n + 1)}>
                {t('common.retry')}
              </button>
            </div>
          )}
          <div className="field">
            <label htmlFor="check-camera">{t('call.check.camera')}</label>
            <select
              id="check-camera"
              value={cameraId}
              disabled={devices.cameras.length === 0}
              onChange={(e) => setChoice((c) => ({ ...c, cameraId: e.target.value || null }))}
            >
              {devices.cameras.length === 0 && <option value="">{t('call.check.noCamera')}</option>}
              {devices.cameras.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('call.check.cameraN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="check-microphone">{t('call.check.microphone')}</label>
            <select
              id="check-microphone"
              value={microphoneId}
              disabled={devices.microphones.length === 0}
              onChange={(e) => setChoice((c) => ({ ...c, microphoneId: e.target.value || null }))}
            >
              {devices.microphones.length === 0 && <option value="">{t('call.check.noMicrophone')}</option>}
              {devices.microphones.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('call.check.microphoneN', { n: i + 1 })}
                </option>
              ))}
            </select>
            <div
              className="meter"
              role="meter"
              aria-label={t('call.check.level')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <span style={{ width: `${percent}%` }} />
            </div>
            <p className="field-hint">{microphone ? t('call.check.levelHint') : t('call.check.noMicrophone')}</p>
          </div>
          <ul className="checks">
            <li>
              <span className="check-name">{t('call.check.room')}</span>
              <RoomStatusLine status={status} onRetry={() => setChecks((n) => n + 1)} />
            </li>
            <li>
              <span className="check-name">{t('call.check.network')}</span>
              {network.kind === 'idle' && <p className="check-line check-pending">{open ? t('call.check.network.pending') : t('call.check.network.later')}</p>}
              {network.kind === 'pending' && <p className="check-line check-pending">{t('call.check.network.pending')}</p>}
              {network.kind === 'ok' && <p className="check-line check-ok">{t('call.check.network.ok', { ms: network.ms })}</p>}
              {network.kind === 'failed' && <p className="check-line check-bad">{t('call.check.network.failed')}</p>}
            </li>
          </ul>
          {!closedForGood && (
            <div className="check-actions">
              {open || !autoJoin ? (
                <button
                  type="button"
                  className="button button-primary button-large button-block"
                  disabled={preview.loading || status.kind === 'checking' || status.kind === 'error'}
                  onClick={() => (open ? join() : setAutoJoin(true))}
                >
                  {open ? t('call.join') : t('call.joinWhenOpen')}
                </button>
              ) : (
                <div className="notice" role="status">
                  <p>{t('call.autoJoin')}</p>
                  <button type="button" className="button button-small" onClick={() => setAutoJoin(false)}>
                    {t('call.autoJoin.cancel')}
                  </button>
                </div>
              )}
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
