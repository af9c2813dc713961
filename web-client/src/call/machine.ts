// The call's signaling state as a pure reducer: idle → joining → joined → reconnecting →
// left / failed, with the reasons, plus the room as the server describes it (who is there,
// their tracks and mute states) and the chat. The effectful shell (`CallSession`) feeds it
// events and acts on the phases it reaches; nothing here touches a socket or a clock.
import { roomOpensAt } from '../marketplace/sessions';
import { CLOSE, type RecordingState, type ServerMessage, type TrackView } from './protocol';

/** Connection attempts in a row (the first included) before giving up. */
export const MAX_ATTEMPTS = 8;
/** The chat keeps this many messages. */
export const CHAT_KEEP = 500;

export type LeftReason =
  /** We left (the leave button, or the page closed). */
  | 'self'
  /** The same person joined from another tab or device (close code 4409). */
  | 'replaced'
  /** The session's window is over (410 `session_over`). */
  | 'session_over'
  /** The session was cancelled (409 `session_cancelled`). */
  | 'session_cancelled';

export type FailReason =
  /** The room token was refused (4401: forged, malformed, expired), or we are signed out. */
  | 'unauthorized'
  /** A valid token for another room (4403). */
  | 'forbidden'
  /** The server could not understand us (4400). */
  | 'protocol'
  /** The server had no room for us (4503: no media port). */
  | 'unavailable'
  /** No connection after every attempt. */
  | 'network'
  /** The ticket endpoint said no (not a party of the session, no such session…). */
  | 'refused';

export type Phase =
  | { kind: 'idle' }
  /** The room is not open yet (409 `not_open_yet`); `opensAt` is an ISO instant when known. */
  | { kind: 'waiting'; opensAt: string | null }
  /** Getting a ticket and joining, before we were ever in; `attempt` 0 is the first try. */
  | { kind: 'joining'; attempt: number }
  | { kind: 'joined' }
  /** We were in and lost the connection; getting a new ticket and joining again. */
  | { kind: 'reconnecting'; attempt: number }
  | { kind: 'left'; reason: LeftReason }
  | { kind: 'failed'; reason: FailReason; code: string | null; closeCode: number | null };

export interface Participant {
  identity: string;
  displayName: string;
  tracks: TrackView[];
  audioMuted: boolean;
  videoMuted: boolean;
}

export interface ChatLine {
  id: number;
  from: string;
  displayName: string;
  text: string;
  at: string;
  mine: boolean;
}

/** A moment a participant marked in a Legal Mode recording. */
export interface Mark {
  identity: string;
  label: string | null;
  at: string;
  /** Milliseconds into the recording, when it was recording. */
  mediaMs: number | null;
}

export interface CallState {
  phase: Phase;
  legalMode: boolean;
  /** Legal Mode: the recording's state and who has consented (identities). */
  recording: { state: RecordingState; consents: string[] };
  marks: Mark[];
  /** Our identity in the room (our user id), once joined. */
  identity: string | null;
  /** Everyone else, in the order they came. */
  participants: Participant[];
  chat: ChatLine[];
  /** The current connection's last `error` frame and `bye` reason, which explain its close. */
  lastError: { code: string; message: string } | null;
  bye: string | null;
  everJoined: boolean;
}

export type CallEvent =
  /** Join (from idle), or try again (from waiting, failed or left). */
  | { type: 'start' }
  | { type: 'ticket'; legalMode: boolean }
  | { type: 'ticket_refused'; status: number; code: string; message: string }
  /** A new socket is opening: the previous one's error and bye no longer apply. */
  | { type: 'connecting' }
  | { type: 'message'; message: ServerMessage }
  | { type: 'closed'; code: number }
  /** A peer connection failed (ICE): start over with a new connection. */
  | { type: 'media_failed' }
  | { type: 'leave' };

export const initialCallState: CallState = {
  phase: { kind: 'idle' },
  legalMode: false,
  recording: { state: 'off', consents: [] },
  marks: [],
  identity: null,
  participants: [],
  chat: [],
  lastError: null,
  bye: null,
  everJoined: false,
};

/** Whether the phase has a connection in progress or up. */
export function isConnecting(phase: Phase): boolean {
  return phase.kind === 'joining' || phase.kind === 'joined' || phase.kind === 'reconnecting';
}

/** How long to wait before attempt `n` (0 = at once): 0.5 s, 1 s, 2 s, 4 s, then 8 s. */
export function reconnectDelay(attempt: number): number {
  if (attempt <= 0) return 0;
  return Math.min(500 * 2 ** (attempt - 1), 8000);
}

/** When to ask again for a room that is not open: just after it opens, and at least every 5 minutes. */
export function waitDelay(opensAt: string | null, now: number): number {
  if (opensAt === null) return 30_000;
  const until = Date.parse(opensAt) - now;
  if (Number.isNaN(until)) return 30_000;
  return Math.min(Math.max(until + 1000, 1000), 300_000);
}

function failed(reason: FailReason, code: string | null, closeCode: number | null): Phase {
  return { kind: 'failed', reason, code, closeCode };
}

/** The connection dropped (or never came up): try again, or give up after MAX_ATTEMPTS. */
function drop(state: CallState): CallState {
  const previous = state.phase.kind === 'joining' || state.phase.kind === 'reconnecting' ? state.phase.attempt : 0;
  const attempt = previous + 1;
  if (attempt >= MAX_ATTEMPTS) return { ...state, phase: failed('network', state.lastError?.code ?? null, null) };
  return { ...state, phase: state.everJoined ? { kind: 'reconnecting', attempt } : { kind: 'joining', attempt } };
}

function onTicketRefused(state: CallState, e: { status: number; code: string; message: string }): CallState {
  switch (e.code) {
    case 'not_open_yet':
      return { ...state, phase: { kind: 'waiting', opensAt: roomOpensAt(e.message)?.toISOString() ?? null } };
    case 'session_over':
      return { ...state, phase: { kind: 'left', reason: 'session_over' } };
    case 'session_cancelled':
      return { ...state, phase: { kind: 'left', reason: 'session_cancelled' } };
  }
  if (e.status === 0 || e.status >= 500 || e.status === 429) return drop(state);
  if (e.status === 401) return { ...state, phase: failed('unauthorized', e.code, null) };
  return { ...state, phase: failed('refused', e.code, null) };
}

function onClosed(state: CallState, code: number): CallState {
  if (!isConnecting(state.phase)) return state;
  if (code === CLOSE.REPLACED || state.bye === 'replaced') return { ...state, phase: { kind: 'left', reason: 'replaced' } };
  const errorCode = state.lastError?.code ?? null;
  switch (code) {
    case CLOSE.UNAUTHORIZED:
      return { ...state, phase: failed('unauthorized', errorCode, code) };
    case CLOSE.FORBIDDEN:
      return { ...state, phase: failed('forbidden', errorCode, code) };
    case CLOSE.PROTOCOL:
      return { ...state, phase: failed('protocol', errorCode, code) };
    case CLOSE.UNAVAILABLE:
      return { ...state, phase: failed('unavailable', errorCode, code) };
  }
  if (code === CLOSE.NORMAL && state.bye === 'left') return { ...state, phase: { kind: 'left', reason: 'self' } };
  // Anything else — the network, a server restart, our peer connection failing on the
  // server's side (`bye` connection_failed), a join timeout — is worth another try.
  return drop(state);
}

function withParticipant(state: CallState, identity: string, change: (p: Participant) => Participant): CallState {
  let changed = false;
  const participants = state.participants.map((p) => {
    if (p.identity !== identity) return p;
    changed = true;
    return change(p);
  });
  return changed ? { ...state, participants } : state;
}

function onMessage(state: CallState, m: ServerMessage): CallState {
  switch (m.type) {
    case 'joined':
      return {
        ...state,
        phase: { kind: 'joined' },
        identity: m.identity,
        legalMode: m.legal_mode,
        everJoined: true,
        participants: m.participants
          .filter((p) => p.identity !== m.identity)
          .map((p) => ({ identity: p.identity, displayName: p.display_name, tracks: p.tracks, audioMuted: false, videoMuted: false })),
      };
    case 'participant_joined': {
      const p = m.participant;
      if (p.identity === state.identity) return state;
      return {
        ...state,
        participants: [
          ...state.participants.filter((q) => q.identity !== p.identity),
          { identity: p.identity, displayName: p.display_name, tracks: p.tracks, audioMuted: false, videoMuted: false },
        ],
      };
    }
    case 'participant_left':
      return { ...state, participants: state.participants.filter((p) => p.identity !== m.identity) };
    case 'track_published':
      return withParticipant(state, m.identity, (p) => ({
        ...p,
        tracks: [...p.tracks.filter((t) => t.track_id !== m.track.track_id), m.track],
      }));
    case 'track_unpublished':
      return withParticipant(state, m.identity, (p) => ({ ...p, tracks: p.tracks.filter((t) => t.track_id !== m.track_id) }));
    case 'muted':
      return withParticipant(state, m.identity, (p) =>
        m.kind === 'audio' ? { ...p, audioMuted: m.muted } : { ...p, videoMuted: m.muted },
      );
    case 'chat': {
      const last = state.chat[state.chat.length - 1];
      const line: ChatLine = {
        id: (last?.id ?? 0) + 1,
        from: m.from,
        displayName: m.display_name,
        text: m.text,
        at: m.at,
        mine: m.from === state.identity,
      };
      return { ...state, chat: [...state.chat, line].slice(-CHAT_KEEP) };
    }
    case 'recording':
      return { ...state, recording: { state: m.state, consents: m.consents } };
    case 'marked':
      return { ...state, marks: [...state.marks, { identity: m.identity, label: m.label, at: m.at, mediaMs: m.media_ms }].slice(-CHAT_KEEP) };
    case 'error':
      return { ...state, lastError: { code: m.code, message: m.message } };
    case 'bye':
      return { ...state, bye: m.reason };
    case 'publish_answer':
    case 'subscribe_offer':
    case 'active_speaker':
    case 'pong':
      return state;
  }
}

export function callReducer(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'start':
      if (isConnecting(state.phase)) return state;
      return { ...state, phase: { kind: 'joining', attempt: 0 }, lastError: null, bye: null };
    case 'ticket':
      return isConnecting(state.phase) ? { ...state, legalMode: event.legalMode } : state;
    case 'ticket_refused':
      return isConnecting(state.phase) ? onTicketRefused(state, event) : state;
    case 'connecting':
      return isConnecting(state.phase) ? { ...state, lastError: null, bye: null } : state;
    case 'message':
      return isConnecting(state.phase) ? onMessage(state, event.message) : state;
    case 'closed':
      return onClosed(state, event.code);
    case 'media_failed':
      return state.phase.kind === 'joined' ? drop(state) : state;
    case 'leave':
      if (state.phase.kind === 'left' || state.phase.kind === 'failed') return state;
      return { ...state, phase: { kind: 'left', reason: 'self' } };
  }
}
