// The signaling protocol, version 1 (docs/signaling.md): the messages a browser sends, the
// ones it receives, and how to build and read them. No I/O here.

import type { LayerQuality } from './simulcast';

export const PROTOCOL_VERSION = 1;
/** A chat message is 1 to 2000 characters (after trimming), as the server checks. */
export const CHAT_MAX = 2000;

export type Target = 'publish' | 'subscribe';
export type MediaKind = 'audio' | 'video';

export interface TrackView {
  /** `identity/trackId`: the publisher's identity, a slash, the publisher's own track id. */
  track_id: string;
  kind: string;
  mime_type: string;
}

export interface ParticipantView {
  identity: string;
  display_name: string;
  tracks: TrackView[];
}

/** What `RTCIceCandidate.toJSON()` gives. */
export interface CandidateJson {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type ClientMessage =
  | { type: 'join'; version: number; room: string; token: string; resume?: boolean }
  | { type: 'publish_offer'; sdp: string }
  | { type: 'subscribe_answer'; sdp: string }
  | { type: 'candidate'; target: Target; candidate: CandidateJson }
  | { type: 'mute'; kind: MediaKind; muted: boolean }
  | { type: 'layer'; track_id: string; quality: LayerQuality }
  | { type: 'chat'; text: string }
  | { type: 'consent'; given: boolean }
  | { type: 'mark'; label?: string }
  | { type: 'restart_ice' }
  | { type: 'ping' }
  | { type: 'leave' };

/** Legal Mode: whether the call is being recorded (both parties consent, a vault is configured). */
export type RecordingState = 'off' | 'waiting_consent' | 'recording' | 'unavailable';
const RECORDING_STATES: readonly RecordingState[] = ['off', 'waiting_consent', 'recording', 'unavailable'];
/** A mark's label is at most 200 characters, as the server checks. */
export const MARK_LABEL_MAX = 200;

export type LeaveReason = 'left' | 'disconnected' | 'connection_failed' | 'replaced';

export type ServerMessage =
  | { type: 'joined'; version: number; room: string; identity: string; legal_mode: boolean; resumed: boolean; participants: ParticipantView[] }
  | { type: 'publish_answer'; sdp: string }
  | { type: 'subscribe_offer'; sdp: string }
  | { type: 'participant_joined'; participant: ParticipantView }
  | { type: 'participant_left'; identity: string; reason: string }
  | { type: 'track_published'; identity: string; track: TrackView }
  | { type: 'track_unpublished'; identity: string; track_id: string }
  | { type: 'muted'; identity: string; kind: MediaKind; muted: boolean }
  | { type: 'chat'; from: string; display_name: string; text: string; at: string }
  | { type: 'recording'; state: RecordingState; consents: string[] }
  | { type: 'marked'; identity: string; label: string | null; at: string; media_ms: number | null }
  | { type: 'active_speaker'; identity: string | null }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string }
  | { type: 'bye'; reason: string };

/** WebSocket close codes the server uses (4000–4999 are the application's). */
export const CLOSE = {
  NORMAL: 1000,
  PROTOCOL: 4400,
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  TIMEOUT: 4408,
  REPLACED: 4409,
  UNAVAILABLE: 4503,
  /** Ours: the browser gave up on a connection that went silent. */
  STALE: 4000,
} as const;

// --- building ------------------------------------------------------------------------------

/** With `resume`, the server may hand us back our participant (and its media) from a
 *  connection that dropped moments ago. */
export function joinMessage(room: string, token: string, resume = false): ClientMessage {
  const m: ClientMessage = { type: 'join', version: PROTOCOL_VERSION, room, token };
  return resume ? { ...m, resume: true } : m;
}

/** Whether a signaling connection closed with `code` may be resumed: it was lost (a network
 *  drop, a proxy, our own stale-connection close), not ended or refused by the server. */
export function resumableClose(code: number): boolean {
  if (code === CLOSE.STALE) return true;
  return code !== CLOSE.NORMAL && !(code >= 4000 && code < 5000);
}

export function publishOfferMessage(sdp: string): ClientMessage {
  return { type: 'publish_offer', sdp };
}

export function subscribeAnswerMessage(sdp: string): ClientMessage {
  return { type: 'subscribe_answer', sdp };
}

/** A trickled candidate, or null for the end-of-candidates marker (nothing to send). */
export function candidateMessage(target: Target, candidate: CandidateJson | null | undefined): ClientMessage | null {
  if (!candidate?.candidate) return null;
  const c: CandidateJson & { candidate: string } = { candidate: candidate.candidate };
  if (candidate.sdpMid !== undefined && candidate.sdpMid !== null) c.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex !== undefined && candidate.sdpMLineIndex !== null) c.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment) c.usernameFragment = candidate.usernameFragment;
  return { type: 'candidate', target, candidate: c };
}

export function muteMessage(kind: MediaKind, muted: boolean): ClientMessage {
  return { type: 'mute', kind, muted };
}

/** The size wanted of a subscribed simulcast video track. */
export function layerMessage(trackId: string, quality: LayerQuality): ClientMessage {
  return { type: 'layer', track_id: trackId, quality };
}

/** The text as the server will take it, or null when it would refuse it (empty or too long). */
export function chatText(text: string): string | null {
  const t = text.trim();
  const length = [...t].length; // the server counts characters, not UTF-16 units
  return length === 0 || length > CHAT_MAX ? null : t;
}

export function chatMessage(text: string): ClientMessage | null {
  const t = chatText(text);
  return t === null ? null : { type: 'chat', text: t };
}

export function consentMessage(given: boolean): ClientMessage {
  return { type: 'consent', given };
}

/** A "mark this moment" message, or null when the label is too long (an empty label is none). */
export function markMessage(label: string): ClientMessage | null {
  const t = label.trim();
  if ([...t].length > MARK_LABEL_MAX) return null;
  return t ? { type: 'mark', label: t } : { type: 'mark' };
}

export function encode(message: ClientMessage): string {
  return JSON.stringify(message);
}

// --- reading -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string): o is Obj & Record<typeof k, string> => typeof o[k] === 'string';

function track(v: unknown): TrackView | null {
  if (!isObj(v) || !str(v, 'track_id') || !str(v, 'kind')) return null;
  return { track_id: v.track_id as string, kind: v.kind as string, mime_type: typeof v.mime_type === 'string' ? v.mime_type : '' };
}

function participant(v: unknown): ParticipantView | null {
  if (!isObj(v) || !str(v, 'identity')) return null;
  const tracks = Array.isArray(v.tracks) ? v.tracks.map(track).filter((t): t is TrackView => t !== null) : [];
  return { identity: v.identity as string, display_name: typeof v.display_name === 'string' ? v.display_name : '', tracks };
}

/** A server frame, or null when it is not one we understand (ignored, never fatal). */
export function parseServerMessage(data: unknown): ServerMessage | null {
  let v: unknown;
  if (typeof data !== 'string') return null;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObj(v) || typeof v.type !== 'string') return null;
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : null);
  switch (v.type) {
    case 'joined': {
      const identity = s('identity');
      if (identity === null) return null;
      const participants = Array.isArray(v.participants)
        ? v.participants.map(participant).filter((p): p is ParticipantView => p !== null)
        : [];
      return {
        type: 'joined',
        version: typeof v.version === 'number' ? v.version : PROTOCOL_VERSION,
        room: s('room') ?? '',
        identity,
        legal_mode: v.legal_mode === true,
        resumed: v.resumed === true,
        participants,
      };
    }
    case 'publish_answer':
    case 'subscribe_offer': {
      const sdp = s('sdp');
      return sdp === null ? null : { type: v.type, sdp };
    }
    case 'participant_joined': {
      const p = participant(v.participant);
      return p && { type: 'participant_joined', participant: p };
    }
    case 'participant_left': {
      const identity = s('identity');
      return identity === null ? null : { type: 'participant_left', identity, reason: s('reason') ?? 'left' };
    }
    case 'track_published': {
      const identity = s('identity');
      const t = track(v.track);
      return identity === null || !t ? null : { type: 'track_published', identity, track: t };
    }
    case 'track_unpublished': {
      const identity = s('identity');
      const trackId = s('track_id');
      return identity === null || trackId === null ? null : { type: 'track_unpublished', identity, track_id: trackId };
    }
    case 'muted': {
      const identity = s('identity');
      const kind = s('kind');
      if (identity === null || (kind !== 'audio' && kind !== 'video') || typeof v.muted !== 'boolean') return null;
      return { type: 'muted', identity, kind, muted: v.muted };
    }
    case 'chat': {
      const from = s('from');
      const text = s('text');
      if (from === null || text === null) return null;
      return { type: 'chat', from, display_name: s('display_name') ?? '', text, at: s('at') ?? '' };
    }
    case 'recording': {
      const state = s('state') as RecordingState | null;
      if (state === null || !RECORDING_STATES.includes(state)) return null;
      const consents = Array.isArray(v.consents) ? v.consents.filter((c): c is string => typeof c === 'string') : [];
      return { type: 'recording', state, consents };
    }
    case 'marked': {
      const identity = s('identity');
      if (identity === null) return null;
      return { type: 'marked', identity, label: s('label'), at: s('at') ?? '', media_ms: typeof v.media_ms === 'number' ? v.media_ms : null };
    }
    case 'active_speaker':
      return { type: 'active_speaker', identity: s('identity') };
    case 'pong':
      return { type: 'pong' };
    case 'error':
      return { type: 'error', code: s('code') ?? 'unknown', message: s('message') ?? '' };
    case 'bye':
      return { type: 'bye', reason: s('reason') ?? '' };
    default:
      return null;
  }
}

// --- track ids -----------------------------------------------------------------------------

/** The prefix the browser gives its screen track's id in the SDP it sends (see `labelScreenSection`). */
export const SCREEN_PREFIX = 'screen-';

/** `identity/trackId` → identity. */
export function trackOwner(trackId: string): string {
  const i = trackId.indexOf('/');
  return i < 0 ? trackId : trackId.slice(0, i);
}

/** Whether a published track is someone's screen rather than their camera. */
export function isScreenTrack(trackId: string): boolean {
  const i = trackId.indexOf('/');
  return trackId.slice(i + 1).startsWith(SCREEN_PREFIX);
}
