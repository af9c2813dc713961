import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import type { CallSnapshot } from '../CallSession';
import { QUALITY_CHOICES, type QualityChoice } from '../simulcast';
import { buildTiles, initials, type Tile } from '../tiles';
import { useStream } from './hooks';
import { MicOffIcon } from './icons';
import { RemoteAudio, VideoView } from './VideoView';

/** What a remote camera's tile tells the call: its size, and the size the viewer chose. */
export interface SizeHandlers {
  choices: ReadonlyMap<string, QualityChoice>;
  onChoose: (trackId: string, choice: QualityChoice) => void;
  onWidth: (trackId: string, devicePixels: number) => void;
}

function TileView({ tile, track, mirrored, self, sizes }: { tile: Tile; track: MediaStreamTrack | null; mirrored?: boolean; self?: boolean; sizes?: SizeHandlers }) {
  const { t } = useI18n();
  const stream = useStream(track);
  const ref = useRef<HTMLElement>(null);
  const trackId = tile.kind === 'camera' && !self ? tile.videoTrackId : null;
  const onWidth = sizes?.onWidth;
  useEffect(() => {
    const el = ref.current;
    if (!el || !trackId || !onWidth || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => onWidth(trackId, el.clientWidth * (window.devicePixelRatio || 1)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [trackId, onWidth]);
  const name = tile.kind === 'screen' ? (self ? t('call.yourScreen') : t('call.screenOf', { name: tile.displayName })) : tile.displayName;
  const classes = ['tile', `tile-${tile.kind}`, tile.speaking ? 'tile-speaking' : '', self ? 'tile-self' : ''].filter(Boolean).join(' ');
  const showVideo = stream !== null && !tile.videoOff;
  return (
    <figure ref={ref} className={classes} data-identity={tile.identity}>
      {showVideo ? (
        <VideoView stream={stream} mirrored={mirrored} fit={tile.kind === 'screen' ? 'contain' : 'cover'} />
      ) : (
        <div className="tile-avatar" aria-hidden="true">
          <span>{initials(tile.displayName)}</span>
        </div>
      )}
      <figcaption className="tile-name">
        {tile.audioMuted && tile.kind === 'camera' && (
          <span className="tile-icon" role="img" aria-label={t('call.micOff')} title={t('call.micOff')}>
            <MicOffIcon />
          </span>
        )}
        <span className="tile-label">{name}</span>
        {tile.videoOff && tile.kind === 'camera' && <span className="visually-hidden">, {t('call.cameraOff')}</span>}
        {tile.speaking && <span className="visually-hidden">, {t('call.speaking')}</span>}
      </figcaption>
      {trackId && sizes && showVideo && (
        <select
          className="tile-quality"
          aria-label={t('call.quality.label', { name })}
          title={t('call.quality.label', { name })}
          value={sizes.choices.get(trackId) ?? 'auto'}
          onChange={(e) => sizes.onChoose(trackId, e.target.value as QualityChoice)}
        >
          {QUALITY_CHOICES.map((c) => (
            <option key={c} value={c}>
              {t(`call.quality.${c}`)}
            </option>
          ))}
        </select>
      )}
    </figure>
  );
}

/** Everyone else large (screens first when shared), ourselves small and mirrored. */
export function VideoGrid({ snapshot, selfName, sizes }: { snapshot: CallSnapshot; selfName: string; sizes?: Omit<SizeHandlers, 'choices'> }) {
  const { t } = useI18n();
  const { call, media } = snapshot;
  const { cameras, screens } = buildTiles({
    participants: call.participants,
    received: new Set(media.remote.keys()),
    liveVideo: media.liveVideo,
    speaker: media.speaker,
  });
  const self: Tile = {
    key: 'self',
    kind: 'camera',
    identity: call.identity ?? 'self',
    displayName: t('call.youName', { name: selfName }),
    videoTrackId: null,
    audioMuted: media.audioMuted || !media.microphone,
    videoOff: media.videoMuted || !media.camera,
    speaking: media.speaker !== null && media.speaker === call.identity,
  };
  const presenting = screens.length > 0;
  const handlers: SizeHandlers | undefined = sizes && { ...sizes, choices: media.qualityChoices };
  const count = cameras.length;
  return (
    <div className={presenting ? 'stage stage-presenting' : 'stage'}>
      {presenting && (
        <div className="stage-screens">
          {screens.map((s) => (
            <TileView key={s.key} tile={s} track={media.remote.get(s.videoTrackId!) ?? null} />
          ))}
        </div>
      )}
      <div className="grid" data-count={Math.min(count, 9)}>
        {count === 0 && (
          <div className="grid-empty">
            <p>{t('call.alone')}</p>
          </div>
        )}
        {cameras.map((c) => (
          <TileView key={c.key} tile={c} track={c.videoTrackId ? (media.remote.get(c.videoTrackId) ?? null) : null} sizes={handlers} />
        ))}
      </div>
      <div className="self-view">
        <TileView tile={self} track={media.camera} mirrored self />
      </div>
    </div>
  );
}

/** Everyone else's microphones. */
export function RoomAudio({ snapshot }: { snapshot: CallSnapshot }) {
  const tracks = [...snapshot.media.remote.values()].filter((t) => t.kind === 'audio');
  return (
    <div hidden>
      {tracks.map((track) => (
        <RemoteAudio key={track.id} track={track} />
      ))}
    </div>
  );
}
