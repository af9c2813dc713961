import { describe, expect, it } from 'vitest';
import type { Participant } from './machine';
import { buildTiles, initials } from './tiles';

const bruno: Participant = {
  identity: 'b',
  displayName: 'Dr. Bruno Lima',
  tracks: [
    { track_id: 'b/mic', kind: 'audio', mime_type: 'audio/opus' },
    { track_id: 'b/cam', kind: 'video', mime_type: 'video/VP8' },
    { track_id: 'b/screen-1', kind: 'video', mime_type: 'video/VP8' },
  ],
  audioMuted: false,
  videoMuted: false,
};

describe('buildTiles', () => {
  const all = new Set(['b/mic', 'b/cam', 'b/screen-1']);

  it('gives each participant a camera tile and each live screen its own', () => {
    const { cameras, screens } = buildTiles({ participants: [bruno], received: all, liveVideo: new Set(['b/cam', 'b/screen-1']), speaker: 'b' });
    expect(cameras).toEqual([
      { key: 'camera:b', kind: 'camera', identity: 'b', displayName: 'Dr. Bruno Lima', videoTrackId: 'b/cam', audioMuted: false, videoOff: false, speaking: true },
    ]);
    expect(screens.map((s) => s.videoTrackId)).toEqual(['b/screen-1']);
  });

  it('hides a screen whose frames stopped (sharing ended) or that has not arrived', () => {
    expect(buildTiles({ participants: [bruno], received: all, liveVideo: new Set(['b/cam']), speaker: null }).screens).toEqual([]);
    expect(buildTiles({ participants: [bruno], received: new Set(['b/cam']), liveVideo: all, speaker: null }).screens).toEqual([]);
  });

  it('shows no video for a camera that is off, missing or not received yet', () => {
    const off = buildTiles({ participants: [{ ...bruno, videoMuted: true, audioMuted: true }], received: all, liveVideo: all, speaker: null }).cameras[0]!;
    expect(off).toMatchObject({ videoTrackId: null, videoOff: true, audioMuted: true });
    const listener = buildTiles({ participants: [{ ...bruno, tracks: [] }], received: all, liveVideo: all, speaker: null }).cameras[0]!;
    expect(listener).toMatchObject({ videoTrackId: null, videoOff: true, audioMuted: true });
    const pending = buildTiles({ participants: [bruno], received: new Set(), liveVideo: new Set(), speaker: null }).cameras[0]!;
    expect(pending).toMatchObject({ videoTrackId: null, videoOff: false });
  });
});

describe('initials', () => {
  it('takes the first and last names, skipping titles and particles', () => {
    expect(initials('Dra. Marina Prado')).toBe('MP');
    expect(initials('Ana')).toBe('A');
    expect(initials('João da Silva')).toBe('JS');
    expect(initials('  ')).toBe('?');
    expect(initials('élio')).toBe('É');
    expect(initials('Ana Souza 513074')).toBe('AS');
  });
});
