use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use rtc::ice::mdns::MulticastDnsMode;
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::transport::RTCIceCandidateInit;
use tokio::sync::{mpsc, watch};
use webrtc::data_channel::{DataChannel, DataChannelEvent};
use webrtc::media_stream::track_remote::{TrackRemote, TrackRemoteEvent};
use webrtc::peer_connection::{
    PeerConnection, PeerConnectionBuilder, PeerConnectionEventHandler, RTCIceGatheringState,
    RTCPeerConnectionState, SettingEngineBuilder,
};

use crate::ports::PortLease;
use crate::room::{ParticipantInfo, Room};
use crate::stats::{self, ParticipantStats, TrackStats};
use crate::tracks::{DownTrack, UpTrack};
use crate::{media, LeaveReason, Sfu, SfuError, SfuEvent};
use crate::{simulcast, speaker};

/// Which of a participant's two connections a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerTarget {
    Publish,
    Subscribe,
}

#[derive(Default)]
struct Negotiation {
    awaiting_answer: bool,
    again: bool,
}

pub struct Participant {
    identity: String,
    display_name: String,
    sfu: Arc<Sfu>,
    room: Arc<Room>,
    publish: Arc<dyn PeerConnection>,
    subscribe: Arc<dyn PeerConnection>,
    publish_gathered: watch::Receiver<bool>,
    subscribe_gathered: watch::Receiver<bool>,
    /// Where this participant's events go: the current signaling connection.
    events: Mutex<mpsc::UnboundedSender<SfuEvent>>,
    /// Even: held by the connection with that number; odd: detached, waiting for a resume.
    attachment: std::sync::atomic::AtomicU64,
    up_tracks: Mutex<Vec<Arc<UpTrack>>>,
    down_tracks: Mutex<HashMap<String, DownTrack>>,
    negotiation: tokio::sync::Mutex<Negotiation>,
    /// Held while a subscription is made, so two made at once (a join racing a publish) cannot
    /// both find the track missing and add it twice.
    subscribing: tokio::sync::Mutex<()>,
    closed: AtomicBool,
    /// The subscribe connection is up (DTLS done): packets sent before would be dropped by SRTP.
    subscribe_ready: Arc<AtomicBool>,
    /// Bytes in and out at the previous stats snapshot, for bitrates.
    last_snapshot: Mutex<Option<(u64, u64, std::time::Instant)>>,
    /// The bandwidth estimate towards this participant (bits/s; 0 before any feedback).
    estimate: Arc<std::sync::atomic::AtomicU64>,
    /// The audio-level header extension's id on the publish connection (0: not negotiated).
    audio_level_id: std::sync::atomic::AtomicU8,
    /// The data channel on the subscribe connection (chat and room events), and whether it is open.
    channel: Arc<dyn DataChannel>,
    channel_open: AtomicBool,
    _ports: [PortLease; 2],
}

/// Receives one peer connection's events and hands them to the participant.
struct Handler {
    participant: OnceLock<Weak<Participant>>,
    gathered: watch::Sender<bool>,
    target: PeerTarget,
}

impl Handler {
    fn participant(&self) -> Option<Arc<Participant>> {
        self.participant.get().and_then(Weak::upgrade)
    }
}

#[async_trait::async_trait]
impl PeerConnectionEventHandler for Handler {
    async fn on_ice_gathering_state_change(&self, state: RTCIceGatheringState) {
        let _ = self.gathered.send(state == RTCIceGatheringState::Complete);
    }

    async fn on_connection_state_change(&self, state: RTCPeerConnectionState) {
        let Some(p) = self.participant() else { return };
        match state {
            RTCPeerConnectionState::Failed => {
                tokio::spawn(async move { p.close(LeaveReason::ConnectionFailed).await });
            }
            RTCPeerConnectionState::Connected if self.target == PeerTarget::Subscribe => {
                p.subscribe_ready.store(true, Ordering::SeqCst);
                tokio::spawn(async move { p.request_keyframes().await });
            }
            _ => {}
        }
    }

    async fn on_track(&self, track: Arc<dyn TrackRemote>) {
        // Runs on the connection's driver task: hand off at once.
        if let Some(p) = self.participant() {
            tokio::spawn(async move { p.published(track).await });
        }
    }
}

async fn connection(
    sfu: &Sfu,
    target: PeerTarget,
    estimate: Option<Arc<std::sync::atomic::AtomicU64>>,
) -> Result<
    (
        Arc<dyn PeerConnection>,
        Arc<Handler>,
        watch::Receiver<bool>,
        PortLease,
    ),
    SfuError,
> {
    let config = sfu.config();
    let mut refused = Vec::new();
    loop {
        let lease = sfu.ports.take().ok_or(SfuError::PortsExhausted)?;
        let (gathered_tx, gathered_rx) = watch::channel(false);
        let handler = Arc::new(Handler {
            participant: OnceLock::new(),
            gathered: gathered_tx,
            target,
        });
        let loss = if target == PeerTarget::Subscribe {
            sfu.simulated_link()
        } else {
            media::SimulatedLink::default()
        };
        let (engine, registry) = media::engine_and_interceptors(loss, estimate.clone())?;
        let settings = SettingEngineBuilder::new()
            .with_multicast_dns_mode(MulticastDnsMode::Disabled)
            .with_ice_timeouts(
                Some(config.ice_disconnected_after),
                Some(config.ice_failed_after),
                Some(Duration::from_secs(1)),
            )
            .build();
        let built = PeerConnectionBuilder::new()
            .with_configuration(RTCConfigurationBuilder::new().build())
            .with_media_engine(engine)
            .with_setting_engine(settings)
            .with_interceptor_registry(registry)
            .with_handler(handler.clone() as Arc<dyn PeerConnectionEventHandler>)
            .with_udp_addrs(vec![SocketAddr::new(config.bind_ip, lease.port)])
            .build()
            .await;
        match built {
            Ok(pc) => return Ok((Arc::new(pc), handler, gathered_rx, lease)),
            Err(e) => {
                // Someone else holds this port: keep it out of the pool while we try the next.
                tracing::warn!(port = lease.port, error = %e, "media port unusable");
                refused.push(lease);
            }
        }
    }
}

/// Announces the advertised address instead of the bound one in `a=candidate` lines.
fn advertise(sdp: String, bind: std::net::IpAddr, advertised: Option<std::net::IpAddr>) -> String {
    match advertised {
        Some(public) if public != bind => {
            sdp.lines()
                .map(|l| {
                    if l.starts_with("a=candidate:") {
                        l.replace(&format!(" {bind} "), &format!(" {public} "))
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\r\n")
                + "\r\n"
        }
        _ => sdp,
    }
}

impl Participant {
    pub(crate) async fn connect(
        sfu: Arc<Sfu>,
        room: Arc<Room>,
        identity: &str,
        display_name: &str,
    ) -> Result<(Arc<Participant>, mpsc::UnboundedReceiver<SfuEvent>), SfuError> {
        let estimate = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (publish, publish_handler, publish_gathered, publish_port) =
            connection(&sfu, PeerTarget::Publish, None).await?;
        let (subscribe, subscribe_handler, subscribe_gathered, subscribe_port) =
            connection(&sfu, PeerTarget::Subscribe, Some(estimate.clone())).await?;
        let channel = subscribe
            .create_data_channel(DATA_CHANNEL_LABEL, None)
            .await
            .map_err(SfuError::webrtc)?;
        let (events, rx) = mpsc::unbounded_channel();
        let participant = Arc::new(Participant {
            identity: identity.to_owned(),
            display_name: display_name.to_owned(),
            sfu,
            room,
            publish,
            subscribe,
            publish_gathered,
            subscribe_gathered,
            events: Mutex::new(events),
            attachment: std::sync::atomic::AtomicU64::new(0),
            up_tracks: Mutex::new(Vec::new()),
            down_tracks: Mutex::new(HashMap::new()),
            negotiation: tokio::sync::Mutex::new(Negotiation::default()),
            subscribing: tokio::sync::Mutex::new(()),
            closed: AtomicBool::new(false),
            subscribe_ready: Arc::new(AtomicBool::new(false)),
            last_snapshot: Mutex::new(None),
            estimate,
            audio_level_id: Default::default(),
            channel: channel.clone(),
            channel_open: AtomicBool::new(false),
            _ports: [publish_port, subscribe_port],
        });
        tokio::spawn(steer_loop(Arc::downgrade(&participant)));
        tokio::spawn(channel_loop(Arc::downgrade(&participant), channel));
        let _ = publish_handler
            .participant
            .set(Arc::downgrade(&participant));
        let _ = subscribe_handler
            .participant
            .set(Arc::downgrade(&participant));
        Ok((participant, rx))
    }

    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn identity(&self) -> &str {
        &self.identity
    }

    pub fn room(&self) -> &Arc<Room> {
        &self.room
    }

    pub fn info(&self) -> ParticipantInfo {
        ParticipantInfo {
            identity: self.identity.clone(),
            display_name: self.display_name.clone(),
            tracks: self.up_tracks().iter().map(|t| t.info()).collect(),
        }
    }

    pub(crate) fn up_tracks(&self) -> Vec<Arc<UpTrack>> {
        self.up_tracks.lock().expect("up tracks").clone()
    }

    pub(crate) fn notify(&self, event: SfuEvent) {
        let _ = self.events.lock().expect("events").send(event);
    }

    /// The signaling connection holding `attachment` went away: the participant (and its
    /// media) stays for `window`, to be resumed. True when nobody resumed it and it left now
    /// (`disconnected`); false if another connection had taken it over or it had already left.
    pub async fn detach(self: &Arc<Self>, window: Duration, attachment: u64) -> bool {
        let detached = attachment + 1;
        if self
            .attachment
            .compare_exchange(attachment, detached, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return false;
        }
        tokio::time::sleep(window).await;
        if self.attachment.load(Ordering::SeqCst) != detached {
            return false;
        }
        self.close(LeaveReason::Disconnected).await
    }

    /// A new signaling connection takes over; events go to the returned receiver. Also
    /// returns the new attachment number. `None` if the participant has already left.
    pub(crate) fn reattach(&self) -> Option<(mpsc::UnboundedReceiver<SfuEvent>, u64)> {
        if self.is_closed() {
            return None;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut events = self.events.lock().expect("events");
        *events = tx;
        // Under the events lock, so two resumes cannot interleave.
        let previous = self
            .attachment
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |a| {
                Some(attached_after(a))
            })
            .expect("always updates");
        Some((rx, attached_after(previous)))
    }

    /// After a resume: a subscribe offer the lost connection never answered is sent again.
    pub(crate) async fn resend_pending_offer(&self) {
        if !self.negotiation.lock().await.awaiting_answer {
            return;
        }
        if let Some(offer) = self.subscribe.local_description().await {
            self.notify(SfuEvent::SubscribeOffer { sdp: offer.sdp });
        }
    }

    /// Restarts ICE on the subscribe connection (the client's network changed):
    /// a new offer with fresh credentials follows as `subscribe_offer`.
    pub async fn restart_ice(self: &Arc<Self>) {
        if let Err(e) = self.subscribe.restart_ice().await {
            tracing::warn!(identity = %self.identity, error = %e, "ICE restart failed");
            return;
        }
        self.renegotiate().await;
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    async fn local_sdp(
        &self,
        pc: &Arc<dyn PeerConnection>,
        gathered: &watch::Receiver<bool>,
    ) -> Result<String, SfuError> {
        let mut gathered = gathered.clone();
        tokio::time::timeout(Duration::from_secs(5), gathered.wait_for(|done| *done))
            .await
            .map_err(|_| SfuError::GatheringTimeout)?
            .map_err(|_| SfuError::Closed)?;
        let sdp = pc.local_description().await.ok_or(SfuError::Closed)?.sdp;
        let config = self.sfu.config();
        Ok(advertise(sdp, config.bind_ip, config.advertised_ip))
    }

    /// The browser's offer on the publish connection; returns our answer.
    pub async fn publish_offer(&self, sdp: String) -> Result<String, SfuError> {
        let level_id = speaker::audio_level_id(&sdp).unwrap_or(0);
        let offer =
            RTCSessionDescription::offer(sdp).map_err(|e| SfuError::BadSdp(e.to_string()))?;
        self.publish
            .set_remote_description(offer)
            .await
            .map_err(|e| SfuError::BadSdp(e.to_string()))?;
        self.audio_level_id.store(level_id, Ordering::Relaxed);
        let answer = self
            .publish
            .create_answer(None)
            .await
            .map_err(|e| SfuError::BadSdp(e.to_string()))?;
        self.publish
            .set_local_description(answer)
            .await
            .map_err(SfuError::webrtc)?;
        self.local_sdp(&self.publish, &self.publish_gathered).await
    }

    /// The browser's answer to our last subscribe offer.
    pub async fn subscribe_answer(self: &Arc<Self>, sdp: String) -> Result<(), SfuError> {
        let answer =
            RTCSessionDescription::answer(sdp).map_err(|e| SfuError::BadSdp(e.to_string()))?;
        let again = {
            let mut n = self.negotiation.lock().await;
            if !n.awaiting_answer {
                return Err(SfuError::BadSdp(
                    "no subscribe offer is waiting for an answer".into(),
                ));
            }
            self.subscribe
                .set_remote_description(answer)
                .await
                .map_err(|e| SfuError::BadSdp(e.to_string()))?;
            n.awaiting_answer = false;
            std::mem::take(&mut n.again)
        };
        if again {
            self.renegotiate().await;
        }
        self.request_keyframes().await;
        Ok(())
    }

    pub async fn add_candidate(
        &self,
        target: PeerTarget,
        candidate: RTCIceCandidateInit,
    ) -> Result<(), SfuError> {
        let pc = match target {
            PeerTarget::Publish => &self.publish,
            PeerTarget::Subscribe => &self.subscribe,
        };
        pc.add_ice_candidate(candidate)
            .await
            .map_err(|e| SfuError::BadSdp(e.to_string()))
    }

    /// Sends `text` on the data channel; false when it is not open (use signaling instead).
    pub async fn send_data(&self, text: &str) -> bool {
        self.channel_open.load(Ordering::SeqCst) && self.channel.send_text(text).await.is_ok()
    }

    /// Makes the first subscribe offer when no track made one, so the data channel opens
    /// even before anyone publishes.
    pub(crate) async fn offer_data_channel(self: &Arc<Self>) {
        if self.down_tracks.lock().expect("down tracks").is_empty() {
            self.renegotiate().await;
        }
    }

    /// Sends a new subscribe offer, or notes that one is needed once the current one is answered.
    async fn renegotiate(self: &Arc<Self>) {
        if self.is_closed() {
            return;
        }
        let mut n = self.negotiation.lock().await;
        if n.awaiting_answer {
            n.again = true;
            return;
        }
        let offer = match self.subscribe.create_offer(None).await {
            Ok(o) => o,
            Err(e) => {
                return tracing::error!(identity = %self.identity, error = %e, "subscribe offer failed")
            }
        };
        if let Err(e) = self.subscribe.set_local_description(offer).await {
            return tracing::error!(identity = %self.identity, error = %e, "subscribe offer failed");
        }
        match self
            .local_sdp(&self.subscribe, &self.subscribe_gathered)
            .await
        {
            Ok(sdp) => {
                n.awaiting_answer = true;
                self.notify(SfuEvent::SubscribeOffer { sdp });
            }
            Err(e) => {
                tracing::error!(identity = %self.identity, error = %e, "subscribe offer failed")
            }
        }
    }

    /// A track arrived on the publish connection.
    async fn published(self: Arc<Self>, remote: Arc<dyn TrackRemote>) {
        let kind = remote.kind().await;
        let Some(ssrc) = remote.ssrcs().await.first().copied() else {
            return;
        };
        let Some(codec) = remote.codec(ssrc).await else {
            return;
        };
        let id = format!("{}/{}", self.identity, remote.track_id().await);
        let up = UpTrack::new(id, kind, codec, ssrc, remote.clone());
        {
            let mut ups = self.up_tracks.lock().expect("up tracks");
            // `close` marks the participant closed before it takes the tracks: a track that
            // arrives while it leaves is never announced (nor left behind).
            if self.is_closed() {
                return;
            }
            ups.push(up.clone());
        }
        tracing::info!(identity = %self.identity, track = %up.id(), "track published");
        let (reader, owner) = (up.clone(), Arc::downgrade(&self));
        // A microphone's levels tell the room who speaks.
        let level_id = match kind {
            rtc::rtp_transceiver::rtp_sender::RtpCodecKind::Audio => {
                Some(self.audio_level_id.load(Ordering::Relaxed)).filter(|id| *id != 0)
            }
            _ => None,
        };
        let (room, identity) = (self.room.clone(), self.identity.clone());
        tokio::spawn(async move {
            // Each SSRC's simulcast layer, from its RID (none for a single encoding).
            let mut layers: HashMap<u32, Option<simulcast::Layer>> = HashMap::new();
            while let Some(event) = remote.poll().await {
                match event {
                    TrackRemoteEvent::OnRtpPacket(packet) => {
                        let ssrc = packet.header.ssrc;
                        let layer = match layers.get(&ssrc) {
                            Some(l) => *l,
                            None => {
                                let rid = remote.rid(ssrc).await;
                                let l = rid.as_deref().and_then(simulcast::layer_of_rid);
                                tracing::debug!(track = %reader.id(), ssrc, rid = ?rid, "a new RTP stream");
                                layers.insert(ssrc, l);
                                l
                            }
                        };
                        if let Some(level) = level_id
                            .and_then(|id| packet.header.get_extension(id))
                            .and_then(|p| speaker::level_of_extension(&p))
                        {
                            room.heard(&identity, level, std::time::Instant::now());
                        }
                        reader.forward(packet, layer)
                    }
                    TrackRemoteEvent::OnRtcpPacket(packets) => {
                        for sr in packets.iter().filter_map(|p| {
                            p.as_any()
                                .downcast_ref::<rtc::rtcp::sender_report::SenderReport>()
                        }) {
                            reader.sender_report(sr.ssrc, sr.ntp_time, sr.rtp_time);
                        }
                    }
                    TrackRemoteEvent::OnEnded => break,
                    _ => {}
                }
            }
            // The track ended (a stopped screen share, a renegotiation that removed it):
            // the others stop receiving it, unless the whole participant is leaving anyway.
            if let Some(p) = owner.upgrade() {
                p.withdraw(&reader).await;
            }
        });
        self.room.publish(&self, up).await;
    }

    /// Unpublishes one of this participant's tracks.
    async fn withdraw(self: &Arc<Self>, up: &Arc<UpTrack>) {
        if self.is_closed() {
            return;
        }
        let removed = {
            let mut ups = self.up_tracks.lock().expect("up tracks");
            let before = ups.len();
            ups.retain(|u| !Arc::ptr_eq(u, up));
            ups.len() != before
        };
        if removed {
            tracing::info!(identity = %self.identity, track = %up.id(), "track unpublished");
            self.room.unpublish(self, up).await;
        }
    }

    /// Starts receiving `up` on the subscribe connection.
    pub(crate) async fn subscribe(self: &Arc<Self>, up: Arc<UpTrack>) {
        {
            // Only the check-create-insert is one at a time, not the negotiation after it.
            let _one_at_a_time = self.subscribing.lock().await;
            if self.is_closed()
                || self
                    .down_tracks
                    .lock()
                    .expect("down tracks")
                    .contains_key(up.id())
            {
                return;
            }
            let pc = self.subscribe.clone();
            let ready = self.subscribe_ready.clone();
            match DownTrack::create(up.clone(), &self.identity, ready, |local| async move {
                pc.add_track(local).await
            })
            .await
            {
                Ok(down) => {
                    self.down_tracks
                        .lock()
                        .expect("down tracks")
                        .insert(up.id().to_owned(), down);
                }
                Err(e) => {
                    return tracing::error!(identity = %self.identity, track = %up.id(), error = %e, "subscribe failed");
                }
            }
        }
        // Its layer from the bandwidth estimate already known, by the one steering rule.
        self.steer().await;
        self.renegotiate().await;
    }

    pub(crate) async fn unsubscribe(self: &Arc<Self>, track_id: &str) {
        let removed = self
            .down_tracks
            .lock()
            .expect("down tracks")
            .remove(track_id);
        if let Some(down) = removed {
            down.up.detach(&self.identity);
            let _ = self.subscribe.remove_track(&down.sender).await;
            self.renegotiate().await;
        }
    }

    async fn request_keyframes(&self) {
        let ups: Vec<Arc<UpTrack>> = self
            .down_tracks
            .lock()
            .expect("down tracks")
            .values()
            .map(|d| d.up.clone())
            .collect();
        for up in ups {
            up.request_keyframe().await;
        }
    }

    /// Packets, bytes, bitrates, loss, jitter and RTT of this participant's media.
    pub async fn stats(&self) -> ParticipantStats {
        let published: Vec<TrackStats> = self.up_tracks().iter().map(|u| u.stats()).collect();
        let subscribed: Vec<TrackStats> = {
            let downs = self.down_tracks.lock().expect("down tracks");
            downs
                .values()
                .map(|d| {
                    let (packets, bytes, queue_drops) = d.sub.counters.read();
                    TrackStats {
                        track_id: d.up.id().to_owned(),
                        kind: d.up.kind().to_owned(),
                        packets,
                        bytes,
                        queue_drops,
                        layer: d.sub.selector.lock().expect("selector").current(),
                    }
                })
                .collect()
        };
        let bytes_in: u64 = published.iter().map(|t| t.bytes).sum();
        let bytes_out: u64 = subscribed.iter().map(|t| t.bytes).sum();
        let now = std::time::Instant::now();
        let previous = self
            .last_snapshot
            .lock()
            .expect("snapshot")
            .replace((bytes_in, bytes_out, now));
        ParticipantStats {
            identity: self.identity.clone(),
            bitrate_in_kbps: stats::kbps(bytes_in, previous.map(|(i, _, t)| (i, t)), now),
            bitrate_out_kbps: stats::kbps(bytes_out, previous.map(|(_, o, t)| (o, t)), now),
            bandwidth_estimate_kbps: self.estimate_bps().map(|bps| bps / 1000.0),
            publish_link: stats::link(self.publish.as_ref()).await,
            subscribe_link: stats::link(self.subscribe.as_ref()).await,
            published,
            subscribed,
        }
    }

    fn estimate_bps(&self) -> Option<f64> {
        let bps = self.estimate.load(Ordering::Relaxed);
        (bps > 0).then_some(bps as f64)
    }

    /// The size this participant asks for of `track_id` (a simulcast track picks the layer
    /// closest to it that its bandwidth allows). Unknown when not subscribed to it.
    pub async fn prefer(
        &self,
        track_id: &str,
        quality: simulcast::Quality,
    ) -> Result<(), SfuError> {
        self.down_tracks
            .lock()
            .expect("down tracks")
            .get(track_id)
            .ok_or_else(|| SfuError::UnknownTrack(track_id.to_owned()))?
            .sub
            .set_wanted(quality);
        self.steer().await;
        Ok(())
    }

    /// Points every simulcast subscription at the layer it should get now: the bandwidth
    /// estimate is shared evenly between them.
    async fn steer(&self) {
        let downs: Vec<_> = self
            .down_tracks
            .lock()
            .expect("down tracks")
            .values()
            .filter(|d| d.up.is_simulcast())
            .map(|d| (d.up.clone(), d.sub.clone()))
            .collect();
        let budget = self.estimate_bps().map(|e| e / downs.len().max(1) as f64);
        for (up, sub) in &downs {
            up.steer(sub, budget).await;
        }
    }

    /// Mute or unmute: tells the others (the browser stops sending media itself).
    pub fn set_muted(&self, kind: &str, muted: bool) {
        self.room.announce_mute(&self.identity, kind, muted);
    }

    /// Leaves the room: unpublishes, closes both connections, tells everyone why.
    /// Closes the participant; false if it had already left.
    pub async fn close(self: &Arc<Self>, reason: LeaveReason) -> bool {
        if self.closed.swap(true, Ordering::SeqCst) {
            return false;
        }
        tracing::info!(identity = %self.identity, room = %self.room.name(), reason = reason.as_str(), "participant leaves");
        self.room.remove(self, reason);
        let ups = std::mem::take(&mut *self.up_tracks.lock().expect("up tracks"));
        for up in &ups {
            self.room.unpublish(self, up).await;
        }
        let downs: Vec<DownTrack> = self
            .down_tracks
            .lock()
            .expect("down tracks")
            .drain()
            .map(|(_, d)| d)
            .collect();
        for down in downs {
            down.up.detach(&self.identity);
        }
        let _ = self.publish.close().await;
        let _ = self.subscribe.close().await;
        self.notify(SfuEvent::Closed { reason });
        self.sfu.forget_if_empty(&self.room);
        true
    }
}

/// How often the simulcast layers of a participant's subscriptions are reconsidered.
const STEER_EVERY: Duration = Duration::from_millis(250);

/// Reconsiders the participant's simulcast layers until it leaves.
async fn steer_loop(participant: Weak<Participant>) {
    loop {
        tokio::time::sleep(STEER_EVERY).await;
        let Some(p) = participant.upgrade() else {
            return;
        };
        if p.is_closed() {
            return;
        }
        p.steer().await;
    }
}

/// The label of the data channel the SFU opens on every subscribe connection.
pub const DATA_CHANNEL_LABEL: &str = "tribuna";

/// Reads the participant's data channel until it closes: text messages go to the signaling
/// connection as `SfuEvent::Data`.
async fn channel_loop(participant: Weak<Participant>, channel: Arc<dyn DataChannel>) {
    while let Some(event) = channel.poll().await {
        let Some(p) = participant.upgrade() else {
            return;
        };
        match event {
            DataChannelEvent::OnOpen => p.channel_open.store(true, Ordering::SeqCst),
            DataChannelEvent::OnClosing | DataChannelEvent::OnClose => {
                p.channel_open.store(false, Ordering::SeqCst)
            }
            DataChannelEvent::OnMessage(m) => {
                let text = m.is_string.then(|| String::from_utf8(m.data.to_vec()).ok());
                p.notify(SfuEvent::Data(text.flatten()));
            }
            _ => {}
        }
    }
}

/// The attachment number a resuming connection gets: the next even number, whether the
/// previous connection was still attached (even) or had detached (odd).
fn attached_after(attachment: u64) -> u64 {
    (attachment | 1) + 1
}

#[cfg(test)]
mod attachment_tests {
    use super::attached_after;

    #[test]
    fn a_resume_always_gets_a_fresh_even_number() {
        assert_eq!(attached_after(0), 2, "taking over a live connection");
        assert_eq!(attached_after(1), 2, "resuming a detached one");
        assert_eq!(attached_after(2), 4);
        assert_eq!(attached_after(3), 4);
    }
}
