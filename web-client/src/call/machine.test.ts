import { describe, expect, it } from 'vitest';
import {
  callReducer,
  initialCallState,
  MAX_ATTEMPTS,
  reconnectDelay,
  waitDelay,
  type CallEvent,
  type CallState,
} from './machine';
import type { ServerMessage } from './protocol';

const ANA = 'a1b2';
const BRUNO = 'c3d4';

function run(events: CallEvent[], from: CallState = initialCallState): CallState {
  return events.reduce(callReducer, from);
}
const msg = (message: ServerMessage): CallEvent => ({ type: 'message', message });
const joined = (participants: Extract<ServerMessage, { type: 'joined' }>['participants'] = [], legal = false): CallEvent =>
  msg({ type: 'joined', version: 1, room: 'dev-x', identity: ANA, legal_mode: legal, resumed: false, participants });
const closed = (code: number): CallEvent => ({ type: 'closed', code });
const brunoTracks = [
  { track_id: `${BRUNO}/a`, kind: 'audio', mime_type: 'audio/opus' },
  { track_id: `${BRUNO}/v`, kind: 'video', mime_type: 'video/VP8' },
];

const inCall = run([{ type: 'start' }, { type: 'ticket', legalMode: false }, { type: 'connecting' }, joined()]);

describe('joining', () => {
  it('goes idle → joining → joined, with who is already there', () => {
    const s1 = callReducer(initialCallState, { type: 'start' });
    expect(s1.phase).toEqual({ kind: 'joining', attempt: 0 });
    const s2 = run([{ type: 'ticket', legalMode: true }, { type: 'connecting' }, joined([{ identity: BRUNO, display_name: 'Dr. Bruno', tracks: brunoTracks }], true)], s1);
    expect(s2.phase).toEqual({ kind: 'joined' });
    expect(s2.identity).toBe(ANA);
    expect(s2.legalMode).toBe(true);
    expect(s2.everJoined).toBe(true);
    expect(s2.participants).toEqual([{ identity: BRUNO, displayName: 'Dr. Bruno', tracks: brunoTracks, audioMuted: false, videoMuted: false }]);
  });

  it('ignores a second start while connecting', () => {
    expect(callReducer(inCall, { type: 'start' })).toBe(inCall);
  });

  it('waits when the room is not open yet, with the opening time from the message', () => {
    const s = run([
      { type: 'start' },
      { type: 'ticket_refused', status: 409, code: 'not_open_yet', message: 'the room opens at 2026-11-21T15:50:00+00:00' },
    ]);
    expect(s.phase).toEqual({ kind: 'waiting', opensAt: '2026-11-21T15:50:00.000Z' });
    // The shell starts again when it opens.
    expect(callReducer(s, { type: 'start' }).phase).toEqual({ kind: 'joining', attempt: 0 });
  });

  it('waits without a time when the message has none', () => {
    const s = run([{ type: 'start' }, { type: 'ticket_refused', status: 409, code: 'not_open_yet', message: 'soon' }]);
    expect(s.phase).toEqual({ kind: 'waiting', opensAt: null });
  });

  it('ends when the session is over or cancelled', () => {
    expect(run([{ type: 'start' }, { type: 'ticket_refused', status: 410, code: 'session_over', message: '' }]).phase).toEqual({
      kind: 'left',
      reason: 'session_over',
    });
    expect(run([{ type: 'start' }, { type: 'ticket_refused', status: 409, code: 'session_cancelled', message: '' }]).phase).toEqual({
      kind: 'left',
      reason: 'session_cancelled',
    });
  });

  it('fails when the ticket is refused for good', () => {
    expect(run([{ type: 'start' }, { type: 'ticket_refused', status: 403, code: 'not_a_party', message: '' }]).phase).toEqual({
      kind: 'failed',
      reason: 'refused',
      code: 'not_a_party',
      closeCode: null,
    });
    expect(run([{ type: 'start' }, { type: 'ticket_refused', status: 401, code: 'unauthenticated', message: '' }]).phase).toMatchObject({
      kind: 'failed',
      reason: 'unauthorized',
    });
  });

  it('tries again when the ticket request fails on the network or the server', () => {
    for (const status of [0, 500, 503, 429]) {
      const s = run([{ type: 'start' }, { type: 'ticket_refused', status, code: 'x', message: '' }]);
      expect(s.phase, String(status)).toEqual({ kind: 'joining', attempt: 1 });
    }
  });
});

describe('refusals by the signaling server', () => {
  const refused = (code: string, closeCode: number) =>
    run([{ type: 'start' }, { type: 'connecting' }, msg({ type: 'error', code, message: 'no' }), closed(closeCode)]);

  it('4401: a forged, malformed or expired token', () => {
    expect(refused('token_expired', 4401).phase).toEqual({ kind: 'failed', reason: 'unauthorized', code: 'token_expired', closeCode: 4401 });
    expect(refused('token_invalid', 4401).phase).toEqual({ kind: 'failed', reason: 'unauthorized', code: 'token_invalid', closeCode: 4401 });
    expect(refused('join_first', 4401).phase).toMatchObject({ reason: 'unauthorized', code: 'join_first' });
  });

  it('4403: a token for another room', () => {
    expect(refused('wrong_room', 4403).phase).toEqual({ kind: 'failed', reason: 'forbidden', code: 'wrong_room', closeCode: 4403 });
  });

  it('4409: the same person joined elsewhere, whether or not the bye came first', () => {
    expect(run([msg({ type: 'bye', reason: 'replaced' }), closed(4409)], inCall).phase).toEqual({ kind: 'left', reason: 'replaced' });
    expect(run([closed(4409)], inCall).phase).toEqual({ kind: 'left', reason: 'replaced' });
    // A bye that says so is enough even if the close code got lost.
    expect(run([msg({ type: 'bye', reason: 'replaced' }), closed(1006)], inCall).phase).toEqual({ kind: 'left', reason: 'replaced' });
  });

  it('4400 and 4503', () => {
    expect(refused('too_many_errors', 4400).phase).toMatchObject({ kind: 'failed', reason: 'protocol', closeCode: 4400 });
    expect(refused('unavailable', 4503).phase).toMatchObject({ kind: 'failed', reason: 'unavailable', closeCode: 4503 });
  });

  it('a join timeout (4408) is worth another try', () => {
    expect(refused('join_timeout', 4408).phase).toEqual({ kind: 'joining', attempt: 1 });
  });
});

describe('reconnecting', () => {
  it('goes joined → reconnecting when the socket drops, and back to joined on the next joined', () => {
    const dropped = callReducer(inCall, closed(1006));
    expect(dropped.phase).toEqual({ kind: 'reconnecting', attempt: 1 });
    const back = run([{ type: 'ticket', legalMode: false }, { type: 'connecting' }, joined()], dropped);
    expect(back.phase).toEqual({ kind: 'joined' });
    // A later drop starts counting again.
    expect(callReducer(back, closed(1006)).phase).toEqual({ kind: 'reconnecting', attempt: 1 });
  });

  it('reconnects when the server ends our participant (bye connection_failed, close 1000)', () => {
    const s = run([msg({ type: 'bye', reason: 'connection_failed' }), closed(1000)], inCall);
    expect(s.phase).toEqual({ kind: 'reconnecting', attempt: 1 });
  });

  it('reconnects when a peer connection fails', () => {
    expect(callReducer(inCall, { type: 'media_failed' }).phase).toEqual({ kind: 'reconnecting', attempt: 1 });
    const idle = initialCallState;
    expect(callReducer(idle, { type: 'media_failed' })).toBe(idle);
  });

  it('counts attempts and gives up after MAX_ATTEMPTS', () => {
    let s = callReducer(inCall, closed(1006));
    for (let n = 2; n < MAX_ATTEMPTS; n++) {
      s = run([{ type: 'connecting' }, closed(1006)], s);
      expect(s.phase).toEqual({ kind: 'reconnecting', attempt: n });
    }
    s = run([{ type: 'ticket_refused', status: 0, code: 'network_error', message: '' }], s);
    expect(s.phase).toEqual({ kind: 'failed', reason: 'network', code: null, closeCode: null });
    // From there the person may try again.
    expect(callReducer(s, { type: 'start' }).phase).toEqual({ kind: 'joining', attempt: 0 });
  });

  it('forgets the previous connection’s error and bye when a new one opens', () => {
    const s = run([msg({ type: 'error', code: 'sdp_rejected', message: 'x' }), msg({ type: 'bye', reason: 'replaced' })], inCall);
    expect(s.lastError?.code).toBe('sdp_rejected');
    const next = run([closed(1006)], { ...s, bye: null });
    expect(callReducer(next, { type: 'connecting' })).toMatchObject({ lastError: null, bye: null });
  });

  it('a room that closes meanwhile ends the call', () => {
    const s = run([closed(1006), { type: 'ticket_refused', status: 410, code: 'session_over', message: '' }], inCall);
    expect(s.phase).toEqual({ kind: 'left', reason: 'session_over' });
  });

  it('keeps the chat across a reconnection and renews the participants', () => {
    const withChat = run(
      [msg({ type: 'participant_joined', participant: { identity: BRUNO, display_name: 'B', tracks: [] } }), msg({ type: 'chat', from: BRUNO, display_name: 'B', text: 'oi', at: 't' })],
      inCall,
    );
    const back = run([closed(1006), { type: 'connecting' }, joined()], withChat);
    expect(back.chat).toHaveLength(1);
    expect(back.participants).toEqual([]);
  });

  it('ignores closes and messages once the call is over', () => {
    const left = callReducer(inCall, { type: 'leave' });
    expect(left.phase).toEqual({ kind: 'left', reason: 'self' });
    expect(callReducer(left, closed(1006))).toBe(left);
    expect(callReducer(left, joined())).toBe(left);
    expect(callReducer(left, { type: 'leave' })).toBe(left);
  });
});

describe('leaving', () => {
  it('leaves from any phase that is not over', () => {
    for (const from of [initialCallState, inCall, callReducer(inCall, closed(1006))]) {
      expect(callReducer(from, { type: 'leave' }).phase).toEqual({ kind: 'left', reason: 'self' });
    }
  });

  it('a bye "left" with close 1000 is our own leave', () => {
    expect(run([msg({ type: 'bye', reason: 'left' }), closed(1000)], inCall).phase).toEqual({ kind: 'left', reason: 'self' });
  });
});

describe('the room', () => {
  const withBruno = run([msg({ type: 'participant_joined', participant: { identity: BRUNO, display_name: 'Dr. Bruno', tracks: [] } })], inCall);

  it('adds and removes participants, replacing one who comes back', () => {
    expect(withBruno.participants.map((p) => p.identity)).toEqual([BRUNO]);
    const again = run([msg({ type: 'participant_joined', participant: { identity: BRUNO, display_name: 'Dr. Bruno', tracks: brunoTracks } })], withBruno);
    expect(again.participants).toHaveLength(1);
    expect(again.participants[0]!.tracks).toEqual(brunoTracks);
    expect(run([msg({ type: 'participant_left', identity: BRUNO, reason: 'left' })], withBruno).participants).toEqual([]);
  });

  it('never lists ourselves', () => {
    expect(run([msg({ type: 'participant_joined', participant: { identity: ANA, display_name: 'Ana', tracks: [] } })], inCall).participants).toEqual([]);
  });

  it('follows tracks as they are published and unpublished', () => {
    const s = run(brunoTracks.map((track) => msg({ type: 'track_published', identity: BRUNO, track })), withBruno);
    expect(s.participants[0]!.tracks).toEqual(brunoTracks);
    const twice = callReducer(s, msg({ type: 'track_published', identity: BRUNO, track: brunoTracks[0]! }));
    expect(twice.participants[0]!.tracks).toHaveLength(2);
    const gone = callReducer(s, msg({ type: 'track_unpublished', identity: BRUNO, track_id: `${BRUNO}/v` }));
    expect(gone.participants[0]!.tracks.map((t) => t.kind)).toEqual(['audio']);
    // Someone we do not know: nothing changes.
    expect(callReducer(s, msg({ type: 'track_unpublished', identity: 'zz', track_id: 'zz/v' }))).toBe(s);
  });

  it('follows mute states', () => {
    const s = run([msg({ type: 'muted', identity: BRUNO, kind: 'audio', muted: true }), msg({ type: 'muted', identity: BRUNO, kind: 'video', muted: true })], withBruno);
    expect(s.participants[0]).toMatchObject({ audioMuted: true, videoMuted: true });
    expect(callReducer(s, msg({ type: 'muted', identity: BRUNO, kind: 'audio', muted: false })).participants[0]).toMatchObject({
      audioMuted: false,
      videoMuted: true,
    });
  });

  it('keeps the chat in order and marks our own messages', () => {
    const s = run(
      [
        msg({ type: 'chat', from: BRUNO, display_name: 'Dr. Bruno', text: 'Bom dia', at: '2026-12-01T14:03:11Z' }),
        msg({ type: 'chat', from: ANA, display_name: 'Ana', text: 'Bom dia, doutor', at: '2026-12-01T14:03:15Z' }),
      ],
      withBruno,
    );
    expect(s.chat.map((c) => [c.id, c.text, c.mine])).toEqual([
      [1, 'Bom dia', false],
      [2, 'Bom dia, doutor', true],
    ]);
  });

  it('leaves the state alone for media messages', () => {
    expect(callReducer(inCall, msg({ type: 'pong' }))).toBe(inCall);
    expect(callReducer(inCall, msg({ type: 'subscribe_offer', sdp: 'v=0' }))).toBe(inCall);
  });
});

describe('timing', () => {
  it('backs off between attempts', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(reconnectDelay)).toEqual([0, 500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('asks again just after the room opens, at least every five minutes', () => {
    const now = Date.parse('2026-11-21T15:40:00Z');
    expect(waitDelay('2026-11-21T15:44:00.000Z', now)).toBe(241_000);
    expect(waitDelay('2026-11-21T15:50:00.000Z', now)).toBe(300_000);
    expect(waitDelay('2026-11-21T15:40:00.000Z', now)).toBe(1000);
    expect(waitDelay('2026-11-21T15:00:00.000Z', now)).toBe(1000);
    expect(waitDelay('2026-11-22T15:00:00.000Z', now)).toBe(300_000);
    expect(waitDelay(null, now)).toBe(30_000);
  });
});

describe('Legal Mode', () => {
  it('follows the recording state and keeps the marks in order', () => {
    const s = run([
      msg({ type: 'recording', state: 'waiting_consent', consents: [ANA] }),
      msg({ type: 'recording', state: 'recording', consents: [ANA, BRUNO] }),
      msg({ type: 'marked', identity: BRUNO, label: 'Contrato', at: '2026-11-21T12:00:10Z', media_ms: 10_000 }),
      msg({ type: 'marked', identity: ANA, label: null, at: '2026-11-21T12:00:20Z', media_ms: 20_000 }),
    ], inCall);
    expect(s.recording).toEqual({ state: 'recording', consents: [ANA, BRUNO] });
    expect(s.marks.map((m) => [m.identity, m.mediaMs])).toEqual([
      [BRUNO, 10_000],
      [ANA, 20_000],
    ]);
  });
});
