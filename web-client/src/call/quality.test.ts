import { describe, expect, it } from 'vitest';
import { classify, readTotals, route, sampleBetween, type StatsEntry, type StatsTotals } from './quality';

describe('classify', () => {
  it('is unknown with nothing measured', () => {
    expect(classify({ rttMs: null, loss: null, availableOutgoingKbps: null })).toBe('unknown');
  });

  it('is good on a fast clean link', () => {
    expect(classify({ rttMs: 40, loss: 0, availableOutgoingKbps: 2500 })).toBe('good');
    expect(classify({ rttMs: 150, loss: 0.02, availableOutgoingKbps: 600 })).toBe('good');
  });

  it('is fair past any one of the good limits', () => {
    expect(classify({ rttMs: 151, loss: 0, availableOutgoingKbps: 2500 })).toBe('fair');
    expect(classify({ rttMs: 40, loss: 0.03, availableOutgoingKbps: 2500 })).toBe('fair');
    expect(classify({ rttMs: 40, loss: 0, availableOutgoingKbps: 599 })).toBe('fair');
  });

  it('is poor past any one of the fair limits', () => {
    expect(classify({ rttMs: 401, loss: 0, availableOutgoingKbps: 2500 })).toBe('poor');
    expect(classify({ rttMs: 40, loss: 0.09, availableOutgoingKbps: 2500 })).toBe('poor');
    expect(classify({ rttMs: 40, loss: 0, availableOutgoingKbps: 149 })).toBe('poor');
  });

  it('judges on what it has', () => {
    expect(classify({ rttMs: 500, loss: null, availableOutgoingKbps: null })).toBe('poor');
    expect(classify({ rttMs: null, loss: 0.01, availableOutgoingKbps: null })).toBe('good');
  });
});

const e = (type: string, id: string, fields: Record<string, unknown> = {}): StatsEntry => ({ type, id, ...fields });

describe('readTotals', () => {
  const publish = [
    e('transport', 'T1', { selectedCandidatePairId: 'CP1' }),
    e('candidate-pair', 'CP0', { state: 'failed', currentRoundTripTime: 9 }),
    e('candidate-pair', 'CP1', { state: 'succeeded', nominated: true, currentRoundTripTime: 0.05, availableOutgoingBitrate: 1_200_000 }),
    e('outbound-rtp', 'O1', { kind: 'video', packetsSent: 500 }),
    e('remote-inbound-rtp', 'R1', { kind: 'video', fractionLost: 0.01 }),
    e('remote-inbound-rtp', 'R2', { kind: 'audio', fractionLost: 0.04 }),
  ];
  const subscribe = [
    // No transport entry: the nominated succeeded pair is used.
    e('candidate-pair', 'CP9', { state: 'succeeded', nominated: true, currentRoundTripTime: 0.12, availableOutgoingBitrate: 300_000 }),
    e('inbound-rtp', 'I1', { kind: 'video', packetsReceived: 900, packetsLost: 10 }),
    e('inbound-rtp', 'I2', { kind: 'audio', packetsReceived: 100, packetsLost: -2 }),
  ];

  it('reads the selected pairs, inbound packets and the receivers’ reports', () => {
    expect(readTotals(publish, subscribe)).toEqual({
      rttMs: 120,
      availableOutgoingKbps: 1200,
      packetsReceived: 1000,
      packetsLost: 10,
      remoteFractionLost: 0.04,
    });
  });

  it('has nothing to say about connections that are not up', () => {
    expect(readTotals([], [])).toEqual({ rttMs: null, availableOutgoingKbps: null, packetsReceived: 0, packetsLost: 0, remoteFractionLost: null });
  });
});

describe('sampleBetween', () => {
  const t = (packetsReceived: number, packetsLost: number, remoteFractionLost: number | null = null): StatsTotals => ({
    rttMs: 30,
    availableOutgoingKbps: 2000,
    packetsReceived,
    packetsLost,
    remoteFractionLost,
  });

  it('measures loss over the interval, not since the start', () => {
    expect(sampleBetween(t(1000, 100), t(1100, 100)).loss).toBe(0);
    expect(sampleBetween(t(1000, 0), t(1090, 10)).loss).toBe(0.1);
    expect(sampleBetween(null, t(95, 5)).loss).toBe(0.05);
  });

  it('has no loss figure when nothing flowed, unless the receivers reported one', () => {
    expect(sampleBetween(t(10, 0), t(10, 0)).loss).toBeNull();
    expect(sampleBetween(t(10, 0), t(10, 0, 0.2)).loss).toBe(0.2);
    expect(sampleBetween(t(0, 0), t(100, 0, 0.05)).loss).toBe(0.05);
  });

  it('takes rtt and bitrate from the latest reading', () => {
    expect(sampleBetween(null, t(1, 0))).toMatchObject({ rttMs: 30, availableOutgoingKbps: 2000 });
  });
});

describe('route', () => {
  const pairTo = (local: Record<string, unknown>): StatsEntry[] => [
    { type: 'transport', id: 'T', selectedCandidatePairId: 'P' },
    { type: 'candidate-pair', id: 'P', localCandidateId: 'L', state: 'succeeded', nominated: true },
    { type: 'local-candidate', id: 'L', ...local },
  ];

  it('names the local candidate of the pair in use, a relay by how it reaches the TURN server', () => {
    expect(route(pairTo({ candidateType: 'host', protocol: 'udp' }))).toBe('host/udp');
    expect(route(pairTo({ candidateType: 'relay', protocol: 'udp', relayProtocol: 'tcp' }))).toBe('relay/tcp');
  });

  it('is unknown before a pair is chosen', () => {
    expect(route([{ type: 'candidate-pair', id: 'P', state: 'in-progress' }])).toBeNull();
  });
});
