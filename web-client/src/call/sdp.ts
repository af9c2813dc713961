// Small, pure readings and edits of session descriptions.
import { SCREEN_PREFIX } from './protocol';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One m-section of a description: its mid, kind, direction and msid track id. */
export interface SectionTrack {
  mid: string;
  kind: string;
  direction: Direction;
  /** The msid's track id (in the SFU's offers: `identity/trackId`), or null. */
  trackId: string | null;
}

interface Section extends SectionTrack {
  /** Line range [from, to) of the section in the description. */
  from: number;
  to: number;
}

function lines(sdp: string): { lines: string[]; eol: string } {
  return { lines: sdp.split(/\r?\n/), eol: sdp.includes('\r\n') ? '\r\n' : '\n' };
}

function sections(all: readonly string[]): Section[] {
  const out: Section[] = [];
  let current: Section | null = null;
  let rejected = false;
  all.forEach((line, i) => {
    if (line.startsWith('m=')) {
      if (current) current.to = i;
      const [kind = '', port = ''] = line.slice(2).split(' ');
      rejected = port === '0';
      current = { mid: '', kind, direction: rejected ? 'inactive' : 'sendrecv', trackId: null, from: i, to: all.length };
      out.push(current);
      return;
    }
    if (!current) return;
    if (line.startsWith('a=mid:')) {
      current.mid = line.slice('a=mid:'.length).trim();
    } else if (line.startsWith('a=msid:')) {
      current.trackId = line.slice('a=msid:'.length).split(' ')[1]?.trim() || null;
    } else if (current.trackId === null && /^a=ssrc:\d+ msid:/.test(line)) {
      current.trackId = line.split(' ')[2]?.trim() || null;
    } else if (!rejected && /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line)) {
      current.direction = line.slice(2) as Direction;
    }
  });
  return out;
}

/**
 * The tracks a description's m-sections carry. The subscribe connection maps its receivers
 * to published tracks through this (by mid), not through `MediaStreamTrack.id`: a browser
 * keeps a receiver's track, and its id, when the SFU reuses an m-section for another track.
 */
export function sectionTracks(sdp: string): SectionTrack[] {
  return sections(lines(sdp).lines).map(({ mid, kind, direction, trackId }) => ({ mid, kind, direction, trackId }));
}

/** Whether a section of an offer we receive sends us media. */
export function sendsMedia(s: SectionTrack): boolean {
  return s.direction === 'sendonly' || s.direction === 'sendrecv';
}

function labelMsid(value: string): string {
  // "<stream id> <track id>": prefix the track id, once.
  const [stream, trackId] = value.split(' ');
  if (stream === undefined || trackId === undefined || trackId.startsWith(SCREEN_PREFIX)) return value;
  return `${stream} ${SCREEN_PREFIX}${trackId}`;
}

/**
 * Marks the track of the m-section `mid` as a screen in an offer we send (not the one we set
 * locally): its msid track id gets the `screen-` prefix. The SFU names published tracks
 * `identity/<msid track id>`, so everyone can tell a screen from a camera by its id.
 */
export function labelScreenSection(sdp: string, mid: string): string {
  const { lines: all, eol } = lines(sdp);
  const section = sections(all).find((s) => s.mid === mid);
  if (!section) return sdp;
  const out = [...all];
  for (let i = section.from; i < section.to; i++) {
    const line = all[i]!;
    if (line.startsWith('a=msid:')) {
      out[i] = `a=msid:${labelMsid(line.slice('a=msid:'.length))}`;
      continue;
    }
    const m = /^(a=ssrc:\d+ msid:)(.*)$/.exec(line);
    if (m) out[i] = `${m[1]}${labelMsid(m[2]!)}`;
  }
  return out.join(eol);
}
