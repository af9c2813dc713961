//! Up-tracks (what a publisher sends us) and down-tracks (what we send one subscriber).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rtc::media_stream::MediaStreamTrack;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp::packet::Packet;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind,
};
use tokio::sync::mpsc;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::media_stream::track_local::{TrackLocal, TrackLocalEvent};
use webrtc::media_stream::track_remote::TrackRemote;
use webrtc::rtp_transceiver::RtpSender;

use crate::rewrite::Rewriter;
use crate::room::TrackInfo;
use crate::simulcast::{self, Layer, Quality, Selector, LAYERS};
use crate::stats::{Counters, TrackStats};
use crate::tap::{KeyframeRequester, TapEvent, TapSender};

/// How many packets a subscriber may fall behind before its packets are dropped.
const DOWN_QUEUE: usize = 512;
/// Keyframe requests to one publisher's track are at most this frequent.
const PLI_MIN_INTERVAL: Duration = Duration::from_millis(500);

pub fn kind_name(kind: RtpCodecKind) -> &'static str {
    match kind {
        RtpCodecKind::Audio => "audio",
        _ => "video",
    }
}

/// A layer not heard from for this long is no longer being sent (a browser short of CPU or
/// bandwidth stops its top layer): its subscribers move to one that is, with little freeze.
const LAYER_SILENT_AFTER: Duration = Duration::from_millis(500);
/// Layer bitrates are measured over at least this long.
const RATE_WINDOW: Duration = Duration::from_millis(400);

/// One subscriber's hold on an up-track: its queue, counters and (simulcast) layer.
pub struct Subscription {
    queue: mpsc::Sender<Packet>,
    pub counters: Counters,
    pub selector: Mutex<Selector>,
    /// The size asked for (`Quality` as its layer number).
    wanted: std::sync::atomic::AtomicU8,
}

impl Subscription {
    pub fn wanted(&self) -> Layer {
        self.wanted.load(std::sync::atomic::Ordering::Relaxed)
    }
    pub fn set_wanted(&self, quality: Quality) {
        self.wanted
            .store(quality.layer(), std::sync::atomic::Ordering::Relaxed);
    }
}

/// What the publisher sends of each simulcast layer.
#[derive(Default)]
struct LayerBook {
    ssrc: [Option<u32>; LAYERS],
    bytes: [u64; LAYERS],
    last_packet: [Option<Instant>; LAYERS],
    /// The byte counts at the last rate reading, and the rates it found.
    sampled: Option<(Instant, [u64; LAYERS])>,
    rates: [Option<f64>; LAYERS],
}

impl LayerBook {
    fn note(&mut self, layer: Layer, ssrc: u32, bytes: usize, now: Instant) {
        let l = usize::from(layer);
        self.ssrc[l] = Some(ssrc);
        self.bytes[l] += bytes as u64;
        self.last_packet[l] = Some(now);
    }

    /// Whether any layer has been seen (a single encoding has none).
    fn is_simulcast(&self) -> bool {
        self.ssrc.iter().any(Option::is_some)
    }

    fn sent(&self, layer: usize, now: Instant) -> bool {
        self.last_packet[layer].is_some_and(|t| now.duration_since(t) < LAYER_SILENT_AFTER)
    }

    /// Each layer's bitrate (bits/s), `None` for a layer not being sent.
    fn rates(&mut self, now: Instant) -> [Option<f64>; LAYERS] {
        let due = self
            .sampled
            .is_none_or(|(at, _)| now.duration_since(at) >= RATE_WINDOW);
        if due {
            let previous = self.sampled.replace((now, self.bytes));
            for l in 0..LAYERS {
                self.rates[l] = self.sent(l, now).then(|| match previous {
                    Some((at, bytes)) => {
                        (self.bytes[l] - bytes[l]) as f64 * 8.0
                            / now.duration_since(at).as_secs_f64().max(1e-3)
                    }
                    None => 0.0,
                });
            }
        }
        self.rates
    }

    /// The largest layer being sent.
    fn largest(&self, now: Instant) -> Option<Layer> {
        (0..LAYERS)
            .rev()
            .find(|&l| self.sent(l, now))
            .map(|l| l as Layer)
    }
}

/// A track a publisher sends us.
pub struct UpTrack {
    id: String,
    kind: RtpCodecKind,
    codec: RTCRtpCodec,
    media_ssrc: u32,
    remote: Arc<dyn TrackRemote>,
    subscribers: Mutex<Vec<(String, Arc<Subscription>)>>,
    /// The last keyframe request, per layer (a single encoding is layer 0).
    /// When each layer's latest keyframe request was (or is scheduled to be) sent.
    last_pli: Mutex<[Option<Instant>; LAYERS]>,
    /// Simulcast layers as their packets arrive; empty for a single encoding.
    layers: Mutex<LayerBook>,
    /// The room's recorder tap, while Legal Mode records, and the one simulcast layer it
    /// records (the largest sent when its first packet came).
    tap: Mutex<Option<(TapSender, Option<Layer>)>>,
    /// `id`, shared by every tap event instead of copied into each.
    tap_id: Arc<str>,
    pub counters: Counters,
}

impl UpTrack {
    pub fn new(
        id: String,
        kind: RtpCodecKind,
        codec: RTCRtpCodec,
        media_ssrc: u32,
        remote: Arc<dyn TrackRemote>,
    ) -> Arc<Self> {
        Arc::new(UpTrack {
            tap_id: Arc::from(id.as_str()),
            id,
            kind,
            codec,
            media_ssrc,
            remote,
            subscribers: Mutex::new(Vec::new()),
            last_pli: Mutex::new([None; LAYERS]),
            layers: Mutex::new(LayerBook::default()),
            tap: Mutex::new(None),
            counters: Counters::default(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn kind(&self) -> &'static str {
        kind_name(self.kind)
    }

    pub fn info(&self) -> TrackInfo {
        TrackInfo {
            track_id: self.id.clone(),
            kind: kind_name(self.kind).to_owned(),
            mime_type: self.codec.mime_type.clone(),
        }
    }

    /// Whether the publisher sends this track in simulcast layers.
    pub fn is_simulcast(&self) -> bool {
        self.layers.lock().expect("layers").is_simulcast()
    }

    /// Each simulcast layer's bitrate (bits/s), `None` for a layer not being sent.
    pub fn layer_rates(&self) -> [Option<f64>; LAYERS] {
        self.layers.lock().expect("layers").rates(Instant::now())
    }

    /// Hands a packet (of simulcast `layer`, if any) to every subscriber's queue that takes
    /// that layer now; a full queue drops it (that subscriber asks again with NACK or PLI),
    /// nobody waits for anybody.
    pub fn forward(&self, mut packet: Packet, layer: Option<Layer>) {
        let now = Instant::now();
        self.counters.count(packet.payload.len());
        if let Some(l) = layer {
            self.layers.lock().expect("layers").note(
                l,
                packet.header.ssrc,
                packet.payload.len(),
                now,
            );
        }
        crate::rewrite::strip_foreign_extensions(&mut packet.header);
        if let Some((tap, pinned)) = &mut *self.tap.lock().expect("tap") {
            let recorded = match layer {
                None => true,
                Some(l) => {
                    let largest = || self.layers.lock().expect("layers").largest(now);
                    *pinned.get_or_insert_with(|| largest().unwrap_or(l)) == l
                }
            };
            if recorded {
                let _ = tap.try_send(TapEvent::Rtp {
                    track_id: self.tap_id.clone(),
                    packet: packet.clone(),
                    at: now,
                });
            }
        }
        let mut keyframe: Option<bool> = None;
        let subscribers = self.subscribers.lock().expect("subscribers");
        for (_, sub) in subscribers.iter() {
            if let Some(l) = layer {
                let mut is_key = || {
                    *keyframe.get_or_insert_with(|| {
                        simulcast::is_keyframe(&self.codec.mime_type, &packet.payload)
                    })
                };
                if !sub
                    .selector
                    .lock()
                    .expect("selector")
                    .accept(l, &mut is_key)
                {
                    continue;
                }
            }
            if sub.queue.try_send(packet.clone()).is_err() {
                sub.counters
                    .dropped
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// Points `sub` at the layer it should get now (from its wish and `budget_bps`, its share
    /// of its bandwidth estimate), asking the publisher for that layer's keyframe when it
    /// changes. Returns the layer chosen.
    pub async fn steer(&self, sub: &Subscription, budget_bps: Option<f64>) -> Option<Layer> {
        let rates = self.layer_rates();
        let (switching, current, target) = {
            let mut selector = sub.selector.lock().expect("selector");
            let current = selector.current();
            let target = simulcast::choose(&rates, sub.wanted(), budget_bps, current)?;
            (selector.set_target(target), current, target)
        };
        if switching {
            tracing::debug!(track = %self.id, ?current, target, ?rates, ?budget_bps, "simulcast layer switch pending");
            self.request_keyframe_of(Some(target)).await;
        }
        Some(target)
    }

    /// Puts the recorder's tap on this track (announcing the track to it), or takes it off.
    pub(crate) fn set_tap(self: &Arc<Self>, identity: &str, tap: Option<TapSender>) {
        let mut current = self.tap.lock().expect("tap");
        let same = match (&*current, &tap) {
            (Some((a, _)), Some(b)) => a.same_channel(b),
            (None, None) => true,
            _ => false,
        };
        if same {
            return; // already tapped into this very tap (or already untapped)
        }
        if let Some(t) = &tap {
            let _ = t.try_send(TapEvent::Track {
                identity: identity.to_owned(),
                track_id: self.tap_id.clone(),
                kind: kind_name(self.kind),
                mime_type: self.codec.mime_type.clone(),
                keyframes: KeyframeRequester(self.clone()),
            });
        }
        let previous = std::mem::replace(&mut *current, tap.map(|t| (t, None)));
        if let Some((t, _)) = previous {
            let _ = t.try_send(TapEvent::Ended {
                track_id: self.tap_id.clone(),
            });
        }
    }

    /// The publisher's RTCP sender report, for the tap.
    pub(crate) fn sender_report(&self, ssrc: u32, ntp: u64, rtp: u32) {
        if let Some((tap, pinned)) = &*self.tap.lock().expect("tap") {
            let layers = self.layers.lock().expect("layers");
            let of_recorded = match pinned {
                Some(l) => layers.ssrc[usize::from(*l)] == Some(ssrc),
                None => !layers.is_simulcast(),
            };
            if !of_recorded {
                return;
            }
            let _ = tap.try_send(TapEvent::SenderReport {
                track_id: self.tap_id.clone(),
                ntp,
                rtp,
            });
        }
    }

    /// The track is gone: the tap is told and let go.
    pub(crate) fn end_tap(&self) {
        if let Some((t, _)) = self.tap.lock().expect("tap").take() {
            let _ = t.try_send(TapEvent::Ended {
                track_id: self.tap_id.clone(),
            });
        }
    }

    fn attach(&self, subscriber: &str, sub: Arc<Subscription>) {
        let mut subscribers = self.subscribers.lock().expect("subscribers");
        subscribers.retain(|(who, _)| who != subscriber);
        subscribers.push((subscriber.to_owned(), sub));
    }

    pub fn detach(&self, subscriber: &str) {
        self.subscribers
            .lock()
            .expect("subscribers")
            .retain(|(who, _)| who != subscriber);
    }

    pub fn stats(&self) -> TrackStats {
        let (packets, bytes, _) = self.counters.read();
        TrackStats {
            track_id: self.id.clone(),
            kind: kind_name(self.kind).to_owned(),
            packets,
            bytes,
            queue_drops: 0,
            layer: self.layers.lock().expect("layers").largest(Instant::now()),
        }
    }

    /// Asks the publisher for a keyframe of what the recorder's tap records (rate-limited).
    pub async fn request_keyframe(&self) {
        let pinned = self.tap.lock().expect("tap").as_ref().and_then(|t| t.1);
        self.request_keyframe_of(pinned).await
    }

    /// Asks the publisher for a keyframe of `layer` (the single encoding's when `None`),
    /// at most every `PLI_MIN_INTERVAL` per layer. Audio needs none.
    pub async fn request_keyframe_of(&self, layer: Option<Layer>) {
        if self.kind == RtpCodecKind::Audio {
            return;
        }
        let ssrc = match layer {
            Some(l) => self.layers.lock().expect("layers").ssrc[usize::from(l)],
            None => Some(self.media_ssrc),
        };
        let Some(media_ssrc) = ssrc else { return };
        let slot = usize::from(layer.unwrap_or(0));
        let wait = {
            // When the layer's latest request goes (or went) out; one scheduled for the end of
            // the interval is in the future, and covers this one too.
            let mut sent_at = self.last_pli.lock().expect("pli");
            let now = Instant::now();
            let next = sent_at[slot].map_or(now, |t| (t + PLI_MIN_INTERVAL).max(now));
            if sent_at[slot].is_some_and(|t| t > now) {
                return;
            }
            sent_at[slot] = Some(next);
            next - now
        };
        let pli = PictureLossIndication {
            sender_ssrc: 0,
            media_ssrc,
        };
        if wait.is_zero() {
            if let Err(e) = self.remote.write_rtcp(vec![Box::new(pli)]).await {
                tracing::debug!(track = %self.id, error = %e, "keyframe request failed");
            }
            return;
        }
        // Too soon after the last one: not dropped, sent when the interval ends (a recorder
        // starting just after a new subscriber's request still gets its keyframe).
        let (remote, id) = (self.remote.clone(), self.id.clone());
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            if let Err(e) = remote.write_rtcp(vec![Box::new(pli)]).await {
                tracing::debug!(track = %id, error = %e, "keyframe request failed");
            }
        });
    }
}

/// One subscriber's copy of an up-track.
pub struct DownTrack {
    pub sender: Arc<dyn RtpSender>,
    pub up: Arc<UpTrack>,
    pub sub: Arc<Subscription>,
}

impl DownTrack {
    /// Creates the local track for `subscriber`, adds it with `add`, and starts
    /// the task that rewrites and writes the up-track's packets to it.
    pub async fn create<F, Fut>(
        up: Arc<UpTrack>,
        subscriber: &str,
        ready: Arc<std::sync::atomic::AtomicBool>,
        add: F,
    ) -> Result<DownTrack, webrtc::error::Error>
    where
        F: FnOnce(Arc<dyn TrackLocal>) -> Fut,
        Fut: std::future::Future<Output = Result<Arc<dyn RtpSender>, webrtc::error::Error>>,
    {
        let ssrc: u32 = rand_ssrc();
        let stream_id = up.id.split('/').next().unwrap_or("stream").to_owned();
        let local = Arc::new(TrackLocalStaticRTP::new(MediaStreamTrack::new(
            stream_id,
            up.id.clone(),
            up.id.clone(),
            up.kind,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters {
                    ssrc: Some(ssrc),
                    ..Default::default()
                },
                codec: up.codec.clone(),
                ..Default::default()
            }],
        )));
        let sender = add(local.clone() as Arc<dyn TrackLocal>).await?;
        let (tx, rx) = mpsc::channel(DOWN_QUEUE);
        let sub = Arc::new(Subscription {
            queue: tx,
            counters: Counters::default(),
            selector: Mutex::new(Selector::default()),
            wanted: Quality::High.layer().into(),
        });
        up.attach(subscriber, sub.clone());
        tokio::spawn(write_loop(
            local.clone(),
            sender.clone(),
            up.codec.clone(),
            ssrc,
            rx,
            sub.clone(),
            ready,
        ));
        tokio::spawn(feedback_loop(local, up.clone(), sub.clone()));
        Ok(DownTrack { sender, up, sub })
    }
}

fn rand_ssrc() -> u32 {
    rand::random::<u32>().max(1)
}

/// The payload type this subscriber's leg negotiated for `codec`, once negotiated.
async fn negotiated_payload_type(sender: &Arc<dyn RtpSender>, codec: &RTCRtpCodec) -> Option<u8> {
    let params = sender.get_parameters().await.ok()?;
    let codecs = &params.rtp_parameters.codecs;
    let same_mime = |c: &&rtc::rtp_transceiver::rtp_sender::RTCRtpCodecParameters| {
        c.rtp_codec.mime_type.eq_ignore_ascii_case(&codec.mime_type)
    };
    codecs
        .iter()
        .filter(same_mime)
        .find(|c| c.rtp_codec.sdp_fmtp_line == codec.sdp_fmtp_line)
        .or_else(|| codecs.iter().find(same_mime))
        .map(|c| c.payload_type)
}

/// Relays the subscriber's keyframe requests (PLI, FIR) to the publisher, for the layer
/// the subscriber receives.
async fn feedback_loop(local: Arc<TrackLocalStaticRTP>, up: Arc<UpTrack>, sub: Arc<Subscription>) {
    while let Some(event) = local.poll().await {
        if let TrackLocalEvent::OnRtcpPacket(_) = event {
            // Only keyframe requests are delivered to us (see `interceptors`).
            let layer = sub.selector.lock().expect("selector").current();
            up.request_keyframe_of(layer).await;
        }
    }
}

async fn write_loop(
    local: Arc<TrackLocalStaticRTP>,
    sender: Arc<dyn RtpSender>,
    codec: RTCRtpCodec,
    ssrc: u32,
    mut rx: mpsc::Receiver<Packet>,
    sub: Arc<Subscription>,
    ready: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut rewriter: Option<Rewriter> = None;
    // One frame at 30 fps for video, 20 ms for audio: the timestamp step at a source switch.
    let ts_gap = codec.clock_rate
        / if codec.mime_type.to_lowercase().starts_with("audio") {
            50
        } else {
            30
        };
    while let Some(mut packet) = rx.recv().await {
        if !ready.load(std::sync::atomic::Ordering::Relaxed) {
            continue; // before DTLS the packet could not be encrypted; a keyframe is requested on connect
        }
        if rewriter.is_none() {
            match negotiated_payload_type(&sender, &codec).await {
                Some(pt) => rewriter = Some(Rewriter::new(ssrc, pt)),
                None => continue,
            }
        }
        let r = rewriter.as_mut().expect("set above");
        r.rewrite(&mut packet, ts_gap);
        let size = packet.payload.len();
        if local.write_rtp(packet).await.is_err() {
            break;
        }
        sub.counters.count(size);
    }
}
