// Small, pure edits of session descriptions.
import { SCREEN_PREFIX } from './protocol';

/** The lines of an SDP (any line ending) and the ending it used. */
function split(sdp: string): { lines: string[]; eol: string } {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return { lines: sdp.split(/\r?\n/), eol };
}

/** The `a=mid:` of each m-section, in order. */
export function sectionMids(sdp: string): string[] {
  const mids: string[] = [];
  let inMedia = false;
  for (const line of split(sdp).lines) {
    if (line.startsWith('m=')) {
      inMedia = true;
      mids.push('');
    } else if (inMedia && line.startsWith('a=mid:')) {
      mids[mids.length - 1] = line.slice('a=mid:'.length).trim();
    }
  }
  return mids;
}

function labelMsid(value: string): string {
  // "<stream id> <track id>": prefix the track id once.
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
  const { lines, eol } = split(sdp);
  let current: string | null = null;
  let sectionStart = -1;
  const out = [...lines];
  // First pass: find the section's range.
  const ranges: { mid: string; from: number; to: number }[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('m=')) {
      if (sectionStart >= 0) ranges.push({ mid: current ?? '', from: sectionStart, to: i });
      sectionStart = i;
      current = null;
    } else if (sectionStart >= 0 && line.startsWith('a=mid:')) {
      current = line.slice('a=mid:'.length).trim();
    }
  });
  if (sectionStart >= 0) ranges.push({ mid: current ?? '', from: sectionStart, to: lines.length });
  const range = ranges.find((r) => r.mid === mid);
  if (!range) return sdp;
  for (let i = range.from; i < range.to; i++) {
    const line = lines[i]!;
    if (line.startsWith('a=msid:')) {
      out[i] = `a=msid:${labelMsid(line.slice('a=msid:'.length))}`;
    } else {
      const m = /^(a=ssrc:\d+ msid:)(.*)$/.exec(line);
      if (m) out[i] = `${m[1]}${labelMsid(m[2]!)}`;
    }
  }
  return out.join(eol);
}
