// The effectful shell around the call's state machine: the WebSocket, the two peer
// connections (publish and subscribe), the local media, statistics and reconnection.
// It feeds `callReducer` events and acts on the phases it reaches; React reads its
// snapshots through `subscribe`/`getSnapshot` (useSyncExternalStore).
import type { JoinTicket } from '../api/client';
import { isApiError } from '../api/client';
import {
  callReducer,
  initialCallState,
  isConnecting,
  reconnectDelay,
  waitDelay,
  type CallEvent,
  type CallState,
} from './machine';
import {
  candidateMessage,
  chatMessage,
  consentMessage,
  markMessage,
  CLOSE,
  encode,
  joinMessage,
  resumableClose,
  muteMessage,
  layerMessage,
  parseServerMessage,
  publishOfferMessage,
  subscribeAnswerMessage,
  type ClientMessage,
  type MediaKind,
  type ServerMessage,
  type Target,
} from './protocol';
import { openMedia, type DeviceChoice } from './media';
import { classify, readTotals, route, sampleBetween, type Quality, type QualitySample, type StatsEntry, type StatsTotals } from './quality';
import { labelScreenSection, sectionTracks, sendsMedia } from './sdp';
import { simulcastEncodings, wantedQuality, type LayerQuality, type QualityChoice } from './simulcast';

/** How often we ping, and how long a silent socket is trusted. */
const PING_EVERY_MS = 10_000;
const SILENCE_LIMIT_MS = 30_000;
const STATS_EVERY_MS = 1000;
/** A video whose frames stopped this long ago is no longer live. */
const VIDEO_IDLE_MS = 3000;
/** How long the server has to answer a publish offer. */
const ANSWER_TIMEOUT_MS = 15_000;
/** How long a leave waits for the server's bye before closing anyway. */
const LEAVE_GRACE_MS = 1000;
/** How long a lost connection's peer connections are kept for a resume (the server keeps
 *  the participant for 20 s by default). */
const RESUME_WINDOW_MS = 15_000;
/** A tile's new size is asked for once the layout has settled this long: while people come
 *  and go the tiles resize several times, and every layer switch costs the sender a keyframe. */
const TILE_SETTLE_MS = 700;

const RTC_CONFIG: RTCConfiguration = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };

export interface MediaView {
  /** Our camera, microphone and screen (null when absent). */
  camera: MediaStreamTrack | null;
  microphone: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
  audioMuted: boolean;
  videoMuted: boolean;
  /** Everyone else's tracks by published track id (`identity/trackId`). */
  remote: ReadonlyMap<string, MediaStreamTrack>;
  /** Everyone else's video tracks whose frames are arriving (a stopped screen share stays
   *  published on the SFU but sends nothing). */
  liveVideo: ReadonlySet<string>;
  /** Who is speaking (an identity, ours included), or null. */
  speaker: string | null;
  quality: Quality;
  sample: QualitySample | null;
  /** A problem with our own media worth telling (screen share refused, publish rejected). */
  problem: 'screen_failed' | 'publish_failed' | null;
  /** The size chosen for others' cameras by track id (absent: `auto`). */
  qualityChoices: ReadonlyMap<string, QualityChoice>;
}

export interface CallSnapshot {
  call: CallState;
  media: MediaView;
}

export interface CallSessionOptions {
  /** A fresh room ticket (each connection attempt asks for one). */
  getTicket: () => Promise<JoinTicket>;
  /** The camera and microphone chosen in the device check (may have no tracks). */
  media: MediaStream | null;
  audioMuted?: boolean;
  videoMuted?: boolean;
  /** Called with what the shell wants a developer to know (server refusals, failed negotiations). */
  log?: (message: string, detail?: unknown) => void;
}

/** For the browser tests: the subscribe connection's inbound media. */
export interface InboundStats {
  video: { track: string | null; framesDecoded: number; packetsReceived: number; frameWidth: number | null }[];
  audio: { track: string | null; packetsReceived: number; audioLevel: number | null }[];
  publish: RTCPeerConnectionState | null;
  subscribe: RTCPeerConnectionState | null;
  /** How each connection's media travels (`host/udp`, `relay/tcp`, …), see `route`. */
  routes: { publish: string | null; subscribe: string | null };
  /** The SFU's data channel: its state and the messages it carried. */
  channel: { state: RTCDataChannelState; messagesSent: number; messagesReceived: number } | null;
  /** Our ICE username fragment on each connection (new after an ICE restart). */
  ufrags: { publish: string | null; subscribe: string | null };
}

interface Waiter {
  resolve: (sdp: string) => void;
  reject: (e: Error) => void;
}

/** One WebSocket and the peer connections made for it. */
interface Connection {
  ws: WebSocket;
  publish: RTCPeerConnection | null;
  subscribe: RTCPeerConnection | null;
  screen: RTCRtpTransceiver | null;
  publishChain: Promise<void>;
  subscribeChain: Promise<void>;
  answer: Waiter | null;
  /** Published track id (`identity/trackId`) by the subscribe connection's mid. */
  trackByMid: Map<string, string>;
  lastHeard: number;
  closed: boolean;
  /** Set while the WebSocket is lost but the peer connections are kept: resume before then. */
  resumeBy: number | null;
  /** TURN relays from the ticket (for networks that block UDP), with their credentials. */
  iceServers: RTCIceServer[];
  /** The SFU's data channel on the subscribe connection: chat and the active speaker. */
  channel: RTCDataChannel | null;
  /** The camera is sent in simulcast layers (the publish connection cannot be offered again). */
  simulcast: boolean;
}

/** Our ICE username fragment on `pc`, from its local description. */
const ufrag = (pc: RTCPeerConnection | null | undefined): string | null =>
  /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;

const emptyMedia = (): MediaView => ({
  camera: null,
  microphone: null,
  screen: null,
  audioMuted: false,
  videoMuted: false,
  remote: new Map(),
  liveVideo: new Set(),
  speaker: null,
  quality: 'unknown',
  sample: null,
  problem: null,
  qualityChoices: new Map(),
});

export class CallSession {
  private snapshot: CallSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly options: CallSessionOptions;
  private stream: MediaStream;
  /** The devices chosen in the device check, to reopen them after the call ended and we rejoin. */
  private readonly devices: DeviceChoice;
  private readonly wanted: { audio: boolean; video: boolean };
  private mediaStopped = false;
  private conn: Connection | null = null;
  /** A connection whose WebSocket dropped, its peer connections kept for a resume. */
  private suspended: Connection | null = null;
  /** Bumped for each connection attempt: late results of an older one are dropped. */
  private attemptId = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private totals: StatsTotals | null = null;
  private frames = new Map<string, { frames: number; changedAt: number }>();
  /** Per remote camera: its tile's width (device pixels) and the size last asked of the server. */
  private layerWishes = new Map<string, { width: number | null; sent: LayerQuality | null }>();
  private tileTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(options: CallSessionOptions) {
    this.options = options;
    this.stream = options.media ?? new MediaStream();
    const media = emptyMedia();
    media.camera = this.stream.getVideoTracks()[0] ?? null;
    media.microphone = this.stream.getAudioTracks()[0] ?? null;
    this.devices = {
      cameraId: media.camera?.getSettings().deviceId ?? null,
      microphoneId: media.microphone?.getSettings().deviceId ?? null,
    };
    this.wanted = { audio: media.microphone !== null, video: media.camera !== null };
    media.audioMuted = options.audioMuted === true && media.microphone !== null;
    media.videoMuted = options.videoMuted === true && media.camera !== null;
    if (media.microphone) media.microphone.enabled = !media.audioMuted;
    if (media.camera) media.camera.enabled = !media.videoMuted;
    this.snapshot = { call: initialCallState, media };
  }

  // --- for React ---------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CallSnapshot => this.snapshot;

  private emit(): void {
    this.listeners.forEach((l) => l());
  }

  private setMedia(change: Partial<MediaView>): void {
    this.snapshot = { ...this.snapshot, media: { ...this.snapshot.media, ...change } };
    this.emit();
  }

  private log(message: string, detail?: unknown): void {
    this.options.log?.(message, detail);
  }

  // --- the state machine ---------------------------------------------------------------------

  private dispatch(event: CallEvent): void {
    const before = this.snapshot.call;
    const after = callReducer(before, event);
    if (after === before) return;
    this.snapshot = { ...this.snapshot, call: after };
    if (after.phase !== before.phase) this.enter(before, after);
    this.emit();
  }

  /** What the shell does on reaching a phase. */
  private enter(before: CallState, after: CallState): void {
    const phase = after.phase;
    switch (phase.kind) {
      case 'joining':
      case 'reconnecting':
        if (before.phase.kind === 'joined' || this.conn) this.dropConnection();
        this.schedule(reconnectDelay(phase.attempt), () => void this.connect());
        break;
      case 'waiting':
        this.discardSuspended();
        this.dropConnection();
        this.schedule(waitDelay(phase.opensAt, Date.now()), () => this.dispatch({ type: 'start' }));
        break;
      case 'joined':
        this.startTimers();
        break;
      case 'left':
        this.clearTimer();
        this.discardSuspended();
        if (phase.reason === 'self') this.sayGoodbye();
        else this.dropConnection();
        // Out of the call, the camera and microphone go off (they reopen on a rejoin).
        this.stopLocalMedia();
        break;
      case 'failed':
        this.clearTimer();
        this.discardSuspended();
        this.dropConnection();
        this.stopLocalMedia();
        break;
      case 'idle':
        break;
    }
  }

  private schedule(ms: number, run: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.disposed) run();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  // --- public actions ------------------------------------------------------------------------

  /** Joins (or tries again after a failure, or rejoins after being replaced). */
  start(): void {
    if (!this.mediaStopped || (!this.wanted.audio && !this.wanted.video)) {
      this.dispatch({ type: 'start' });
      return;
    }
    void this.reopenMedia().then(() => {
      if (!this.disposed) this.dispatch({ type: 'start' });
    });
  }

  private async reopenMedia(): Promise<void> {
    const { stream } = await openMedia(this.devices);
    if (this.disposed) {
      stream?.getTracks().forEach((t) => t.stop());
      return;
    }
    this.mediaStopped = false;
    this.stream = stream ?? new MediaStream();
    const camera = this.stream.getVideoTracks()[0] ?? null;
    const microphone = this.stream.getAudioTracks()[0] ?? null;
    const { audioMuted, videoMuted } = this.snapshot.media;
    if (microphone) microphone.enabled = !audioMuted;
    if (camera) camera.enabled = !videoMuted;
    this.setMedia({ camera, microphone, audioMuted: audioMuted && microphone !== null, videoMuted: videoMuted && camera !== null });
  }

  leave(): void {
    this.dispatch({ type: 'leave' });
  }

  /** Ends everything (the page is going away): leaves if still in, stops our media. */
  dispose(): void {
    if (this.disposed) return;
    if (isConnecting(this.snapshot.call.phase) || this.snapshot.call.phase.kind === 'waiting') this.leave();
    this.disposed = true;
    this.clearTimer();
    if (this.tileTimer !== null) clearTimeout(this.tileTimer);
    this.stopTimers();
    this.dropConnection();
    this.discardSuspended();
    this.stopLocalMedia();
    this.listeners.clear();
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    const { media } = this.snapshot;
    const track = kind === 'audio' ? media.microphone : media.camera;
    if (!track) return;
    track.enabled = !muted;
    this.setMedia(kind === 'audio' ? { audioMuted: muted } : { videoMuted: muted });
    if (this.snapshot.call.phase.kind === 'joined') this.send(muteMessage(kind, muted));
  }

  /** Legal Mode: gives or withdraws this participant's consent to the recording. */
  setConsent(given: boolean): boolean {
    if (this.snapshot.call.phase.kind !== 'joined' || !this.snapshot.call.legalMode) return false;
    return this.send(consentMessage(given));
  }

  /** Legal Mode: marks this moment (with an optional label); false when it cannot be sent. */
  markMoment(label: string): boolean {
    const m = markMessage(label);
    if (!m || this.snapshot.call.phase.kind !== 'joined' || !this.snapshot.call.legalMode) return false;
    return this.send(m);
  }

  /** Sends a chat message; false when there is nothing to send or no connection. */
  sendChat(text: string): boolean {
    const m = chatMessage(text);
    if (!m || this.snapshot.call.phase.kind !== 'joined') return false;
    // On the data channel when it is open (the server answers there), else over signaling.
    const channel = this.conn?.channel;
    if (channel?.readyState === 'open') {
      channel.send(encode(m));
      return true;
    }
    return this.send(m);
  }

  /** The network changed (or a connection lost its path): new ICE credentials and candidates
   *  on both connections — the server restarts the subscribe one and offers it anew, we restart
   *  the publish one with a new offer. Media goes on once the new path is found. */
  restartIce(): void {
    const conn = this.conn;
    if (!conn?.publish || conn.closed || this.snapshot.call.phase.kind !== 'joined') return;
    if (conn.simulcast) {
      // webrtc-rs 0.21 loses a simulcast camera's layers when the publish connection is
      // offered again: start over on new connections instead (the server replaces us).
      this.log('network changed: new media connections');
      this.startOver(conn);
      return;
    }
    this.log('network changed: restarting ICE');
    this.sendOn(conn, { type: 'restart_ice' });
    conn.publish.restartIce();
    void this.negotiatePublish(conn);
  }

  /** Starts over with a new connection; the server replaces our old participant. */
  private startOver(conn: Connection): void {
    this.conn = null;
    this.closeConnection(conn);
    this.dispatch({ type: 'media_failed' });
  }

  /** Shares a screen (the browser asks which): a third track on the publish connection. */
  async startScreenShare(): Promise<void> {
    if (this.snapshot.media.screen) return;
    let track: MediaStreamTrack | undefined;
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 15 }, audio: false });
      track = display.getVideoTracks()[0];
    } catch (e) {
      // Cancelling the browser's picker lands here too: not a problem worth a message.
      if (!(e instanceof DOMException && e.name === 'NotAllowedError')) this.setMedia({ problem: 'screen_failed' });
      this.log('screen share refused', e);
      return;
    }
    if (!track) return;
    if (this.disposed) {
      track.stop();
      return;
    }
    track.contentHint = 'detail';
    track.addEventListener('ended', () => this.stopScreenShare());
    this.setMedia({ screen: track, problem: null });
    const conn = this.conn;
    if (conn?.publish) await this.publishScreen(conn, track);
  }

  stopScreenShare(): void {
    const track = this.snapshot.media.screen;
    if (!track) return;
    track.stop();
    this.setMedia({ screen: null });
    // Keep the transceiver (a later share reuses it without renegotiating); send nothing.
    void this.conn?.screen?.sender.replaceTrack(null).catch((e: unknown) => this.log('stop screen', e));
  }

  /** The subscribe connection's inbound media, for the browser tests. */
  async inboundStats(): Promise<InboundStats> {
    const conn = this.conn;
    const out: InboundStats = {
      video: [],
      audio: [],
      publish: conn?.publish?.connectionState ?? null,
      subscribe: conn?.subscribe?.connectionState ?? null,
      routes: { publish: null, subscribe: null },
      channel: null,
      ufrags: { publish: ufrag(conn?.publish), subscribe: ufrag(conn?.subscribe) },
    };
    if (!conn?.subscribe) return out;
    const report = await conn.subscribe.getStats();
    out.routes.subscribe = route([...report.values()] as StatsEntry[]);
    if (conn.publish) out.routes.publish = route([...(await conn.publish.getStats()).values()] as StatsEntry[]);
    report.forEach((s: StatsEntry) => {
      if (s.type === 'data-channel' && conn.channel) {
        out.channel = { state: conn.channel.readyState, messagesSent: Number(s.messagesSent ?? 0), messagesReceived: Number(s.messagesReceived ?? 0) };
      }
      if (s.type !== 'inbound-rtp') return;
      const track = this.trackOf(conn, s);
      if (s.kind === 'video') {
        out.video.push({
          track,
          framesDecoded: Number(s.framesDecoded ?? 0),
          packetsReceived: Number(s.packetsReceived ?? 0),
          frameWidth: typeof s.frameWidth === 'number' ? s.frameWidth : null,
        });
      } else if (s.kind === 'audio') {
        out.audio.push({ track, packetsReceived: Number(s.packetsReceived ?? 0), audioLevel: typeof s.audioLevel === 'number' ? s.audioLevel : null });
      }
    });
    return out;
  }

  // --- connecting ------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const id = ++this.attemptId;
    let ticket: JoinTicket;
    try {
      ticket = await this.options.getTicket();
    } catch (e) {
      if (id !== this.attemptId || this.disposed) return;
      if (isApiError(e)) this.dispatch({ type: 'ticket_refused', status: e.status, code: e.code, message: e.message });
      else this.dispatch({ type: 'ticket_refused', status: 0, code: 'network_error', message: String(e) });
      return;
    }
    if (id !== this.attemptId || this.disposed || !isConnecting(this.snapshot.call.phase)) return;
    this.dispatch({ type: 'ticket', legalMode: ticket.legal_mode });
    this.dispatch({ type: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(ticket.signaling_url);
    } catch (e) {
      this.log('bad signaling url', e);
      this.dispatch({ type: 'closed', code: 1006 });
      return;
    }
    const prior = this.takeSuspended();
    const iceServers = ticket.ice_servers.map((t) => ({ urls: t.urls, username: t.username, credential: t.credential }));
    const conn: Connection = prior ? Object.assign(prior, { ws, lastHeard: Date.now(), iceServers }) : {
      ws,
      publish: null,
      subscribe: null,
      screen: null,
      publishChain: Promise.resolve(),
      subscribeChain: Promise.resolve(),
      answer: null,
      trackByMid: new Map(),
      lastHeard: Date.now(),
      closed: false,
      resumeBy: null,
      iceServers,
      channel: null,
      simulcast: false,
    };
    this.conn = conn;
    ws.onopen = () => {
      conn.lastHeard = Date.now();
      this.sendOn(conn, joinMessage(ticket.room, ticket.token, prior !== null));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (conn !== this.conn) return;
      conn.lastHeard = Date.now();
      const m = parseServerMessage(ev.data);
      if (m) this.onServerMessage(conn, m);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (conn !== this.conn) return;
      this.log(`signaling closed ${ev.code} ${ev.reason}`);
      this.suspend(conn, ev.code);
      this.conn = null;
      this.dispatch({ type: 'closed', code: ev.code });
    };
  }

  private onServerMessage(conn: Connection, m: ServerMessage): void {
    this.dispatch({ type: 'message', message: m });
    switch (m.type) {
      case 'joined':
        if (conn.resumeBy !== null && m.resumed) {
          // The server kept our participant: the same peer connections carry on.
          this.log('signaling resumed');
          this.refreshRemote(conn);
        } else {
          if (conn.resumeBy !== null) this.closePeers(conn);
          this.openPeers(conn);
        }
        conn.resumeBy = null;
        this.resendMutes();
        // A new participant on the server knows none of our sizes: ask again as tracks arrive.
        if (!m.resumed) for (const w of this.layerWishes.values()) w.sent = null;
        this.sendLayers();
        break;
      case 'publish_answer':
        conn.answer?.resolve(m.sdp);
        conn.answer = null;
        break;
      case 'subscribe_offer':
        conn.subscribeChain = conn.subscribeChain.then(() => this.answerSubscribe(conn, m.sdp));
        break;
      case 'error':
        this.log(`server error ${m.code}: ${m.message}`);
        if (m.code === 'sdp_rejected' && conn.answer) {
          conn.answer.reject(new Error(m.message));
          conn.answer = null;
        }
        break;
      case 'participant_joined':
        // The server does not tell newcomers who is muted: say it again.
        this.resendMutes();
        this.refreshRemote(conn);
        break;
      case 'active_speaker':
        // The server decides from every microphone's audio level (ours included).
        if (m.identity !== this.snapshot.media.speaker) this.setMedia({ speaker: m.identity });
        break;
      case 'participant_left':
      case 'track_published':
      case 'track_unpublished':
        this.refreshRemote(conn);
        break;
      default:
        break;
    }
  }

  private resendMutes(): void {
    const { media } = this.snapshot;
    if (media.audioMuted) this.send(muteMessage('audio', true));
    if (media.videoMuted) this.send(muteMessage('video', true));
  }

  private send(m: ClientMessage): boolean {
    return this.conn ? this.sendOn(this.conn, m) : false;
  }

  private sendOn(conn: Connection, m: ClientMessage): boolean {
    if (conn.ws.readyState !== WebSocket.OPEN) return false;
    conn.ws.send(encode(m));
    return true;
  }

  // --- peer connections ------------------------------------------------------------------------

  private openPeers(conn: Connection): void {
    if (conn.publish || conn.closed) return;
    const config: RTCConfiguration = { ...RTC_CONFIG, iceServers: conn.iceServers };
    const publish = new RTCPeerConnection(config);
    const subscribe = new RTCPeerConnection(config);
    conn.publish = publish;
    conn.subscribe = subscribe;
    const trickle = (pc: RTCPeerConnection, target: Target) => {
      pc.onicecandidate = (e) => {
        const m = candidateMessage(target, e.candidate?.toJSON());
        if (m) this.sendOn(conn, m);
      };
      pc.onconnectionstatechange = () => {
        this.log(`${target} connection ${pc.connectionState}`);
        if (pc.connectionState === 'failed' && conn === this.suspended) this.discardSuspended();
        if (pc.connectionState === 'failed' && conn === this.conn) this.startOver(conn);
      };
    };
    trickle(publish, 'publish');
    trickle(subscribe, 'subscribe');
    subscribe.ontrack = () => this.refreshRemote(conn);
    subscribe.ondatachannel = (e) => {
      conn.channel = e.channel;
      e.channel.onmessage = (ev: MessageEvent) => {
        if (conn !== this.conn) return;
        const m = parseServerMessage(ev.data);
        if (m) this.onServerMessage(conn, m);
      };
    };

    const { camera, microphone, screen } = this.snapshot.media;
    const streams = [this.stream];
    if (microphone) publish.addTransceiver(microphone, { direction: 'sendonly', streams });
    if (camera) {
      const sendEncodings = simulcastEncodings(camera.getSettings().height, this.snapshot.call.legalMode);
      publish.addTransceiver(camera, { direction: 'sendonly', streams, ...(sendEncodings ? { sendEncodings } : {}) });
      conn.simulcast = sendEncodings !== null;
    }
    // The screen's transceiver is made now and sends nothing until a share, which then needs
    // no new offer: a renegotiated publish connection would lose the camera's simulcast
    // layers on the server (webrtc-rs 0.21 forgets the SSRCs it learned from their RIDs, and
    // Chromium no longer sends the RIDs).
    conn.screen = publish.addTransceiver(screen ?? 'video', { direction: 'sendonly', streams });
    this.negotiatePublish(conn);
  }

  /** A new offer on the publish connection (the first, or after adding the screen). */
  private negotiatePublish(conn: Connection): Promise<void> {
    const run = async () => {
      const pc = conn.publish;
      if (!pc || conn.closed) return;
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      let sdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
      const screenMid = conn.screen?.mid;
      if (screenMid) sdp = labelScreenSection(sdp, screenMid);
      const answer = await new Promise<string>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error('no publish answer')), ANSWER_TIMEOUT_MS);
        conn.answer = {
          resolve: (s) => {
            clearTimeout(timeout);
            resolve(s);
          },
          reject: (e) => {
            clearTimeout(timeout);
            reject(e);
          },
        };
        if (!this.sendOn(conn, publishOfferMessage(sdp))) conn.answer.reject(new Error('signaling closed'));
      });
      if (conn.closed) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    };
    conn.publishChain = conn.publishChain.then(run).catch((e: unknown) => {
      if (conn.closed) return;
      this.log('publish negotiation failed', e);
      this.setMedia({ problem: 'publish_failed' });
    });
    return conn.publishChain;
  }

  private async publishScreen(conn: Connection, track: MediaStreamTrack): Promise<void> {
    if (conn.screen) {
      await conn.screen.sender.replaceTrack(track);
      return;
    }
    conn.screen = conn.publish!.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    await this.negotiatePublish(conn);
  }

  private async answerSubscribe(conn: Connection, sdp: string): Promise<void> {
    const pc = conn.subscribe;
    if (!pc || conn.closed) return;
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      conn.trackByMid = new Map(
        sectionTracks(sdp)
          .filter((s) => sendsMedia(s) && s.trackId !== null)
          .map((s) => [s.mid, s.trackId!]),
      );
      this.sendOn(conn, subscribeAnswerMessage(pc.localDescription?.sdp ?? answer.sdp ?? ''));
      this.refreshRemote(conn);
    } catch (e) {
      this.log('subscribe negotiation failed', e);
    }
  }

  /** Everyone else's tracks: each receiver whose m-section the SFU currently sends on. */
  private refreshRemote(conn: Connection): void {
    if (conn !== this.conn || !conn.subscribe) return;
    const published = new Set(this.snapshot.call.participants.flatMap((p) => p.tracks.map((t) => t.track_id)));
    const remote = new Map<string, MediaStreamTrack>();
    for (const t of conn.subscribe.getTransceivers()) {
      const id = t.mid === null ? undefined : conn.trackByMid.get(t.mid);
      // Tracks the room no longer lists are gone even if the re-offer has not come yet.
      if (id && published.has(id)) remote.set(id, t.receiver.track);
    }
    const before = this.snapshot.media.remote;
    const same = before.size === remote.size && [...remote].every(([k, v]) => before.get(k) === v);
    if (!same) this.setMedia({ remote });
    this.sendLayers();
  }

  // --- simulcast: the size we want of each camera ----------------------------------------------

  /** The viewer chose a size for one camera (`auto`: the tile's size). */
  setVideoQuality(trackId: string, choice: QualityChoice): void {
    const choices = new Map(this.snapshot.media.qualityChoices);
    if (choice === 'auto') choices.delete(trackId);
    else choices.set(trackId, choice);
    this.setMedia({ qualityChoices: choices });
    this.sendLayers();
  }

  /** A camera's tile was laid out `pixels` wide (device pixels). */
  reportTileWidth(trackId: string, pixels: number): void {
    const wish = this.layerWishes.get(trackId) ?? { width: null, sent: null };
    wish.width = Math.round(pixels);
    this.layerWishes.set(trackId, wish);
    if (this.tileTimer !== null) clearTimeout(this.tileTimer);
    this.tileTimer = setTimeout(() => {
      this.tileTimer = null;
      this.sendLayers();
    }, TILE_SETTLE_MS);
  }

  /** Tells the server the size wanted of each camera we receive, when it changed. */
  private sendLayers(): void {
    const { remote, qualityChoices } = this.snapshot.media;
    if (this.snapshot.call.phase.kind !== 'joined') return;
    for (const [trackId, track] of remote) {
      if (track.kind !== 'video') continue;
      const wish = this.layerWishes.get(trackId) ?? { width: null, sent: null };
      this.layerWishes.set(trackId, wish);
      const quality = wantedQuality(qualityChoices.get(trackId) ?? 'auto', wish.width);
      if (quality !== wish.sent && this.send(layerMessage(trackId, quality))) wish.sent = quality;
    }
  }

  private trackOf(conn: Connection, s: StatsEntry): string | null {
    if (typeof s.mid === 'string') {
      const byMid = conn.trackByMid.get(s.mid);
      if (byMid) return byMid;
    }
    return typeof s.trackIdentifier === 'string' ? s.trackIdentifier : null;
  }

  // --- timers: keep-alive and statistics -----------------------------------------------------

  private startTimers(): void {
    this.stopTimers();
    this.ticker = setInterval(() => this.keepAlive(), PING_EVERY_MS);
    this.statsTimer = setInterval(() => void this.sampleStats(), STATS_EVERY_MS);
  }

  private stopTimers(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    this.ticker = null;
    this.statsTimer = null;
  }

  private keepAlive(): void {
    const conn = this.conn;
    if (!conn) return;
    if (Date.now() - conn.lastHeard > SILENCE_LIMIT_MS) {
      // Half-open: the browser may not notice for minutes. Give up on it ourselves.
      this.log('signaling went silent');
      this.conn = null;
      this.suspend(conn, CLOSE.STALE);
      this.dispatch({ type: 'closed', code: CLOSE.STALE });
      return;
    }
    this.sendOn(conn, { type: 'ping' });
  }

  private async sampleStats(): Promise<void> {
    const conn = this.conn;
    if (!conn?.publish || !conn.subscribe || this.snapshot.call.phase.kind !== 'joined') return;
    let pub: StatsEntry[];
    let sub: StatsEntry[];
    try {
      const [p, s] = await Promise.all([conn.publish.getStats(), conn.subscribe.getStats()]);
      pub = [...p.values()] as StatsEntry[];
      sub = [...s.values()] as StatsEntry[];
    } catch {
      return;
    }
    if (conn !== this.conn) return;
    const now = Date.now();
    const totals = readTotals(pub, sub);
    const sample = sampleBetween(this.totals, totals);
    this.totals = totals;

    const { media } = this.snapshot;
    const liveVideo = new Set<string>();
    for (const e of sub) {
      if (e.type !== 'inbound-rtp') continue;
      const track = this.trackOf(conn, e);
      if (!track) continue;
      if (e.kind === 'video') {
        const frames = Number(e.framesDecoded ?? 0);
        const seen = this.frames.get(track);
        if (!seen || seen.frames !== frames) this.frames.set(track, { frames, changedAt: now });
        const changedAt = this.frames.get(track)!.changedAt;
        if (frames > 0 && now - changedAt < VIDEO_IDLE_MS) liveVideo.add(track);
      }
    }
    const quality = classify(sample);
    const sameVideo = liveVideo.size === media.liveVideo.size && [...liveVideo].every((t) => media.liveVideo.has(t));
    if (quality === media.quality && sameVideo && sample.rttMs === media.sample?.rttMs) return;
    this.setMedia({ quality, sample, liveVideo: sameVideo ? media.liveVideo : liveVideo });
  }

  // --- tearing down ----------------------------------------------------------------------------

  /** A lost WebSocket: keep the peer connections for a resume when the server may still hold
   *  our participant (and no publish negotiation was cut in half); otherwise close it all. */
  private suspend(conn: Connection, code: number): void {
    const live = (pc: RTCPeerConnection | null) => pc !== null && pc.connectionState !== 'failed' && pc.connectionState !== 'closed';
    if (conn.closed || !resumableClose(code) || conn.answer || !live(conn.publish) || !live(conn.subscribe)) {
      this.closeConnection(conn, code === CLOSE.STALE ? CLOSE.STALE : CLOSE.NORMAL);
      return;
    }
    if (this.suspended !== conn) this.discardSuspended();
    conn.ws.onmessage = null;
    conn.ws.onclose = null;
    if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
      try {
        conn.ws.close(CLOSE.STALE);
      } catch {
        // Already closing.
      }
    }
    // A failed resume attempt keeps the first deadline: the server's window does not move.
    conn.resumeBy ??= Date.now() + RESUME_WINDOW_MS;
    this.suspended = conn;
  }

  /** The suspended connection, if it may still be resumed. */
  private takeSuspended(): Connection | null {
    const conn = this.suspended;
    this.suspended = null;
    if (!conn) return null;
    if (conn.closed || conn.resumeBy === null || Date.now() > conn.resumeBy) {
      this.closeConnection(conn);
      return null;
    }
    return conn;
  }

  private discardSuspended(): void {
    const conn = this.suspended;
    this.suspended = null;
    if (conn) this.closeConnection(conn);
  }

  /** Closes a connection's peer connections (a resume the server refused), keeping its WebSocket. */
  private closePeers(conn: Connection): void {
    conn.publish?.close();
    conn.subscribe?.close();
    conn.publish = null;
    conn.subscribe = null;
    conn.channel = null;
    conn.screen = null;
    conn.trackByMid = new Map();
    conn.publishChain = Promise.resolve();
    conn.subscribeChain = Promise.resolve();
  }

  private closeConnection(conn: Connection, code: number = CLOSE.NORMAL): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.answer?.reject(new Error('closed'));
    conn.answer = null;
    conn.publish?.close();
    conn.subscribe?.close();
    conn.ws.onmessage = null;
    if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
      try {
        conn.ws.close(code);
      } catch {
        // Already closing.
      }
    }
  }

  /** Forgets the current connection (a new one is coming, or the call ended). */
  private dropConnection(): void {
    this.stopTimers();
    const conn = this.conn;
    this.conn = null;
    this.attemptId++;
    if (conn) this.closeConnection(conn);
    this.totals = null;
    this.frames.clear();
    const { media } = this.snapshot;
    if (media.remote.size || media.liveVideo.size || media.speaker || media.quality !== 'unknown') {
      this.setMedia({ remote: new Map(), liveVideo: new Set(), speaker: null, quality: 'unknown', sample: null });
    }
  }

  /** Our leave: tell the server, wait briefly for its bye, close. */
  private sayGoodbye(): void {
    const conn = this.conn;
    this.stopTimers();
    this.conn = null;
    this.attemptId++;
    if (!conn) return;
    conn.publish?.close();
    conn.subscribe?.close();
    if (this.sendOn(conn, { type: 'leave' })) {
      const ws = conn.ws;
      ws.onmessage = null;
      setTimeout(() => this.closeConnection(conn), LEAVE_GRACE_MS);
      ws.onclose = () => {
        conn.closed = true;
      };
    } else {
      this.closeConnection(conn);
    }
    this.setMedia({ remote: new Map(), liveVideo: new Set(), speaker: null });
  }

  private stopLocalMedia(): void {
    const { camera, microphone, screen } = this.snapshot.media;
    for (const t of [camera, microphone, screen]) t?.stop();
    this.mediaStopped = true;
    if (screen) this.setMedia({ screen: null });
  }
}
