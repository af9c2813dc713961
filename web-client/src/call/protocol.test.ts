import { describe, expect, it } from 'vitest';
import {
  candidateMessage,
  consentMessage,
  markMessage,
  CLOSE,
  CHAT_MAX,
  chatMessage,
  chatText,
  encode,
  isScreenTrack,
  joinMessage,
  resumableClose,
  muteMessage,
  parseServerMessage,
  publishOfferMessage,
  subscribeAnswerMessage,
  trackOwner,
} from './protocol';
import { labelScreenSection, sectionTracks, sendsMedia } from './sdp';

describe('messages to the server', () => {
  it('are in the documented shape', () => {
    expect(encode(joinMessage('6f1c', 'eyJ'))).toBe('{"type":"join","version":1,"room":"6f1c","token":"eyJ"}');
    expect(encode(joinMessage('6f1c', 'eyJ', true))).toBe('{"type":"join","version":1,"room":"6f1c","token":"eyJ","resume":true}');
    expect(publishOfferMessage('v=0\r\n')).toEqual({ type: 'publish_offer', sdp: 'v=0\r\n' });
    expect(subscribeAnswerMessage('v=0\r\n')).toEqual({ type: 'subscribe_answer', sdp: 'v=0\r\n' });
    expect(encode(muteMessage('audio', true))).toBe('{"type":"mute","kind":"audio","muted":true}');
  });

  it('trickle candidates as RTCIceCandidate.toJSON() gives them, without nulls', () => {
    const c = { candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.2 40270 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    expect(candidateMessage('publish', c)).toEqual({ type: 'candidate', target: 'publish', candidate: c });
    expect(candidateMessage('subscribe', { candidate: 'candidate:1', sdpMid: null, sdpMLineIndex: null, usernameFragment: null })).toEqual({
      type: 'candidate',
      target: 'subscribe',
      candidate: { candidate: 'candidate:1' },
    });
  });

  it('send nothing for the end of candidates', () => {
    expect(candidateMessage('publish', null)).toBeNull();
    expect(candidateMessage('publish', { candidate: '', sdpMid: '0', sdpMLineIndex: 0 })).toBeNull();
  });

  it('keep chat messages to what the server accepts', () => {
    expect(chatMessage('  Pode repetir, doutor?  ')).toEqual({ type: 'chat', text: 'Pode repetir, doutor?' });
    expect(chatMessage('   ')).toBeNull();
    expect(chatText('x'.repeat(CHAT_MAX))).toHaveLength(CHAT_MAX);
    expect(chatText('x'.repeat(CHAT_MAX + 1))).toBeNull();
    // Characters, not UTF-16 units: 2000 emoji are fine.
    expect(chatText('⚖️'.repeat(1000))).not.toBeNull();
    expect(chatText('😀'.repeat(CHAT_MAX))).not.toBeNull();
  });
});

describe('messages from the server', () => {
  it('read every documented type', () => {
    const participants = [{ identity: 'a1', display_name: 'Ana', tracks: [{ track_id: 'a1/t', kind: 'video', mime_type: 'video/VP8' }] }];
    expect(parseServerMessage(JSON.stringify({ type: 'joined', version: 1, room: 'r', identity: 'c3', legal_mode: true, participants }))).toEqual({
      type: 'joined',
      version: 1,
      room: 'r',
      identity: 'c3',
      legal_mode: true,
      resumed: false,
      participants,
    });
    const resumed = parseServerMessage(JSON.stringify({ type: 'joined', version: 1, room: 'r', identity: 'c3', legal_mode: false, resumed: true, participants: [] }));
    expect(resumed).toMatchObject({ type: 'joined', resumed: true });
    const samples: unknown[] = [
      { type: 'publish_answer', sdp: 'v=0' },
      { type: 'subscribe_offer', sdp: 'v=0' },
      { type: 'participant_joined', participant: { identity: 'c3', display_name: 'Dr. Bruno', tracks: [] } },
      { type: 'participant_left', identity: 'a1', reason: 'connection_failed' },
      { type: 'track_published', identity: 'c3', track: { track_id: 'c3/77', kind: 'video', mime_type: 'video/VP8' } },
      { type: 'track_unpublished', identity: 'a1', track_id: 'a1/9d' },
      { type: 'muted', identity: 'c3', kind: 'audio', muted: true },
      { type: 'chat', from: 'a1', display_name: 'Ana', text: 'Oi', at: '2026-12-01T14:03:11Z' },
      { type: 'active_speaker', identity: 'c3' },
      { type: 'active_speaker', identity: null },
      { type: 'pong' },
      { type: 'error', code: 'sdp_rejected', message: 'bad' },
      { type: 'bye', reason: 'replaced' },
    ];
    for (const s of samples) expect(parseServerMessage(JSON.stringify(s))).toEqual(s);
  });

  it('ignore what is not a message of ours', () => {
    for (const bad of ['', 'nope', '[]', '{}', '{"type":"surprise"}', '{"type":"muted","identity":"a","kind":"screen","muted":true}', '{"type":"publish_answer"}']) {
      expect(parseServerMessage(bad), bad).toBeNull();
    }
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
  });
});

describe('track ids', () => {
  it('name their owner and tell screens from cameras', () => {
    expect(trackOwner('a1b2/3f0e')).toBe('a1b2');
    expect(isScreenTrack('a1b2/3f0e')).toBe(false);
    expect(isScreenTrack('a1b2/screen-3f0e')).toBe(true);
  });
});

const OFFER = [
  'v=0',
  'o=- 4611 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=sendonly',
  'a=msid:local aud-1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=mid:1',
  'a=sendonly',
  'a=msid:local cam-1',
  'a=ssrc:111 cname:x',
  'a=ssrc:111 msid:local cam-1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=mid:2',
  'a=sendonly',
  'a=msid:local scr-1',
  'a=ssrc:222 cname:x',
  'a=ssrc:222 msid:local scr-1',
  '',
].join('\r\n');

describe('labelling the screen track in a publish offer', () => {

  it('prefixes only that section’s msid track id, once', () => {
    const out = labelScreenSection(OFFER, '2');
    expect(out).toContain('a=msid:local screen-scr-1\r\n');
    expect(out).toContain('a=ssrc:222 msid:local screen-scr-1\r\n');
    expect(out).toContain('a=msid:local cam-1\r\n');
    expect(out).toContain('a=ssrc:111 msid:local cam-1\r\n');
    expect(out.split('\r\n')).toHaveLength(OFFER.split('\r\n').length);
    expect(labelScreenSection(out, '2')).toBe(out);
  });

  it('changes nothing for an unknown section', () => {
    expect(labelScreenSection(OFFER, '7')).toBe(OFFER);
  });
});

describe('the tracks of a subscribe offer', () => {
  const offer = [
    'v=0',
    'a=group:BUNDLE 0 1 2 3',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    'a=msid:a1 a1/aud',
    'a=sendrecv',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:1',
    'a=ssrc:5 msid:a1 a1/cam',
    'a=sendonly',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:2',
    'a=inactive',
    'm=video 0 UDP/TLS/RTP/SAVPF 96',
    'a=mid:3',
    'a=msid:c3 c3/gone',
    'a=sendrecv',
    '',
  ].join('\r\n');

  it('reads each section’s mid, kind, direction and msid track id', () => {
    expect(sectionTracks(offer)).toEqual([
      { mid: '0', kind: 'audio', direction: 'sendrecv', trackId: 'a1/aud' },
      { mid: '1', kind: 'video', direction: 'sendonly', trackId: 'a1/cam' },
      { mid: '2', kind: 'video', direction: 'inactive', trackId: null },
      // A rejected section (port 0) carries nothing, whatever it says.
      { mid: '3', kind: 'video', direction: 'inactive', trackId: 'c3/gone' },
    ]);
    expect(sectionTracks(offer).filter(sendsMedia).map((s) => s.trackId)).toEqual(['a1/aud', 'a1/cam']);
  });

  it('reads the SDP of the labelled offer too', () => {
    expect(sectionTracks(labelScreenSection(OFFER, '2')).map((s) => s.trackId)).toEqual(['aud-1', 'cam-1', 'screen-scr-1']);
  });
});

describe('which closes may be resumed', () => {
  it('lost connections yes, endings and refusals no', () => {
    expect(resumableClose(1006)).toBe(true);
    expect(resumableClose(1011)).toBe(true);
    expect(resumableClose(1001)).toBe(true);
    expect(resumableClose(CLOSE.STALE)).toBe(true);
    expect(resumableClose(CLOSE.NORMAL)).toBe(false);
    expect(resumableClose(4409)).toBe(false);
    expect(resumableClose(4401)).toBe(false);
    expect(resumableClose(4503)).toBe(false);
  });
});

describe('Legal Mode messages', () => {
  it('consent and marks are built as the server takes them', () => {
    expect(consentMessage(true)).toEqual({ type: 'consent', given: true });
    expect(markMessage('  Contrato apresentado ')).toEqual({ type: 'mark', label: 'Contrato apresentado' });
    expect(markMessage('   ')).toEqual({ type: 'mark' });
    expect(markMessage('é'.repeat(200))).not.toBeNull();
    expect(markMessage('é'.repeat(201))).toBeNull();
  });

  it('the recording state and marks are read, and unknown states ignored', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'recording', state: 'recording', consents: ['a', 2, 'b'] }))).toEqual({
      type: 'recording',
      state: 'recording',
      consents: ['a', 'b'],
    });
    expect(parseServerMessage(JSON.stringify({ type: 'recording', state: 'paused', consents: [] }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'marked', identity: 'a', label: null, at: '2026-11-21T12:00:00Z', media_ms: 1500 }))).toEqual({
      type: 'marked',
      identity: 'a',
      label: null,
      at: '2026-11-21T12:00:00Z',
      media_ms: 1500,
    });
  });
});
