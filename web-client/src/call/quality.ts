// Network quality from WebRTC statistics: totals read from `getStats()` reports, a sample
// between two readings, and a class for the indicator. Pure functions over plain objects.

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/** What we read from one moment's statistics of both connections. */
export interface StatsTotals {
  /** Round-trip time of the selected candidate pairs (the worse of the two), in ms. */
  rttMs: number | null;
  /** The sender's estimate for the publish connection, in kbit/s. */
  availableOutgoingKbps: number | null;
  /** Inbound RTP packets received and lost, summed over every inbound stream. */
  packetsReceived: number;
  packetsLost: number;
  /** The receivers' reports of our outbound streams (the worst fraction lost, 0–1). */
  remoteFractionLost: number | null;
}

export interface QualitySample {
  rttMs: number | null;
  /** Fraction of packets lost since the previous reading (0–1), or null when nothing flowed. */
  loss: number | null;
  availableOutgoingKbps: number | null;
}

/** The thresholds of each class; worse than `fair` is `poor`. */
export const THRESHOLDS = {
  good: { rttMs: 150, loss: 0.02, kbps: 600 },
  fair: { rttMs: 400, loss: 0.08, kbps: 150 },
} as const;

/** A stats entry as `RTCStatsReport` iterates them (only the fields we read). */
export type StatsEntry = { type: string; id: string } & Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The candidate pair in use: the transport's selected pair, else a nominated succeeded one. */
function selectedPair(entries: readonly StatsEntry[]): StatsEntry | null {
  const byId = new Map(entries.map((e) => [e.id, e]));
  for (const e of entries) {
    if (e.type === 'transport' && typeof e.selectedCandidatePairId === 'string') {
      const pair = byId.get(e.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  return entries.find((e) => e.type === 'candidate-pair' && e.state === 'succeeded' && e.nominated === true) ?? null;
}

/** How a connection's media travels: the local candidate of the pair in use, as
 *  `type/protocol` (`host/udp`, or `relay/tcp` through a TURN server reached over TCP). */
export function route(entries: readonly StatsEntry[]): string | null {
  const pair = selectedPair(entries);
  const local = pair && entries.find((e) => e.id === pair.localCandidateId);
  if (!local || typeof local.candidateType !== 'string') return null;
  const protocol = typeof local.relayProtocol === 'string' ? local.relayProtocol : local.protocol;
  return `${local.candidateType}/${String(protocol)}`;
}

/** Totals from the publish and subscribe connections' reports. */
export function readTotals(publish: readonly StatsEntry[], subscribe: readonly StatsEntry[]): StatsTotals {
  const pubPair = selectedPair(publish);
  const subPair = selectedPair(subscribe);
  const rtts = [pubPair, subPair].map((p) => (p ? num(p.currentRoundTripTime) : null)).filter((r): r is number => r !== null);
  const available = pubPair ? num(pubPair.availableOutgoingBitrate) : null;
  let packetsReceived = 0;
  let packetsLost = 0;
  for (const e of subscribe) {
    if (e.type !== 'inbound-rtp') continue;
    packetsReceived += num(e.packetsReceived) ?? 0;
    packetsLost += Math.max(0, num(e.packetsLost) ?? 0);
  }
  let remoteFractionLost: number | null = null;
  for (const e of publish) {
    if (e.type !== 'remote-inbound-rtp') continue;
    const f = num(e.fractionLost);
    if (f !== null) remoteFractionLost = Math.max(remoteFractionLost ?? 0, f);
  }
  return {
    rttMs: rtts.length ? Math.max(...rtts) * 1000 : null,
    availableOutgoingKbps: available === null ? null : available / 1000,
    packetsReceived,
    packetsLost,
    remoteFractionLost,
  };
}

/** What changed between two readings (the first reading compares against nothing). */
export function sampleBetween(previous: StatsTotals | null, current: StatsTotals): QualitySample {
  let loss: number | null = null;
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  if (received >= 0 && lost >= 0 && received + lost > 0) loss = lost / (received + lost);
  if (current.remoteFractionLost !== null) loss = Math.max(loss ?? 0, current.remoteFractionLost);
  return { rttMs: current.rttMs, loss, availableOutgoingKbps: current.availableOutgoingKbps };
}

/** good / fair / poor from the worst of round-trip time, loss and the available bitrate. */
export function classify(sample: QualitySample): Quality {
  const { rttMs, loss, availableOutgoingKbps: kbps } = sample;
  if (rttMs === null && loss === null && kbps === null) return 'unknown';
  const worse = (limits: { rttMs: number; loss: number; kbps: number }) =>
    (rttMs !== null && rttMs > limits.rttMs) || (loss !== null && loss > limits.loss) || (kbps !== null && kbps < limits.kbps);
  if (worse(THRESHOLDS.fair)) return 'poor';
  if (worse(THRESHOLDS.good)) return 'fair';
  return 'good';
}
