// What the video grid shows, from the room (the state machine) and the media (the shell).
import type { Participant } from './machine';
import { isScreenTrack } from './protocol';

export interface Tile {
  key: string;
  kind: 'camera' | 'screen';
  identity: string;
  displayName: string;
  /** The published video track to show, when it is here and should be shown. */
  videoTrackId: string | null;
  audioMuted: boolean;
  /** The camera is off (the participant said so) or there is none. */
  videoOff: boolean;
  speaking: boolean;
}

export interface TileInput {
  participants: readonly Participant[];
  /** Published track ids we receive. */
  received: ReadonlySet<string>;
  /** Video tracks whose frames are arriving. */
  liveVideo: ReadonlySet<string>;
  speaker: string | null;
}

/** One camera tile per participant, plus a tile for each screen being shared. */
export function buildTiles({ participants, received, liveVideo, speaker }: TileInput): { cameras: Tile[]; screens: Tile[] } {
  const cameras: Tile[] = [];
  const screens: Tile[] = [];
  for (const p of participants) {
    const videos = p.tracks.filter((t) => t.kind === 'video');
    const camera = videos.find((t) => !isScreenTrack(t.track_id) && received.has(t.track_id));
    cameras.push({
      key: `camera:${p.identity}`,
      kind: 'camera',
      identity: p.identity,
      displayName: p.displayName,
      videoTrackId: camera && !p.videoMuted ? camera.track_id : null,
      audioMuted: p.audioMuted || !p.tracks.some((t) => t.kind === 'audio'),
      videoOff: p.videoMuted || !videos.some((t) => !isScreenTrack(t.track_id)),
      speaking: speaker === p.identity,
    });
    for (const s of videos.filter((t) => isScreenTrack(t.track_id) && received.has(t.track_id) && liveVideo.has(t.track_id))) {
      screens.push({
        key: `screen:${s.track_id}`,
        kind: 'screen',
        identity: p.identity,
        displayName: p.displayName,
        videoTrackId: s.track_id,
        audioMuted: false,
        videoOff: false,
        speaking: false,
      });
    }
  }
  return { cameras, screens };
}

/** Initials for a tile without video: "Dra. Marina Prado" → "MP". */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .filter((w) => /^\p{L}/u.test(w))
    .filter((w) => w && !/^(dr|dra|sr|sra|prof|profa)\.?$/i.test(w) && !/^(da|de|do|das|dos|e)$/i.test(w));
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}
