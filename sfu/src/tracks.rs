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

/// A subscriber's queue of packets to forward, and its counters.
type Subscriber = (String, mpsc::Sender<Packet>, Arc<Counters>);

/// A track a publisher sends us.
pub struct UpTrack {
    id: String,
    kind: RtpCodecKind,
    codec: RTCRtpCodec,
    media_ssrc: u32,
    remote: Arc<dyn TrackRemote>,
    subscribers: Mutex<Vec<Subscriber>>,
    last_pli: Mutex<Option<Instant>>,
    /// The room's recorder tap, while Legal Mode records.
    tap: Mutex<Option<TapSender>>,
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
            last_pli: Mutex::new(None),
            tap: Mutex::new(None),
            counters: Counters::default(),
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn info(&self) -> TrackInfo {
        TrackInfo {
            track_id: self.id.clone(),
            kind: kind_name(self.kind).to_owned(),
            mime_type: self.codec.mime_type.clone(),
        }
    }

    /// Hands a packet to every subscriber's queue; a full queue drops it (that
    /// subscriber asks again with NACK or PLI), nobody waits for anybody.
    pub fn forward(&self, mut packet: Packet) {
        self.counters.count(packet.payload.len());
        crate::rewrite::strip_foreign_extensions(&mut packet.header);
        if let Some(tap) = &*self.tap.lock().expect("tap") {
            let _ = tap.try_send(TapEvent::Rtp {
                track_id: self.tap_id.clone(),
                packet: packet.clone(),
                at: Instant::now(),
            });
        }
        let subscribers = self.subscribers.lock().expect("subscribers");
        for (_, queue, counters) in subscribers.iter() {
            if queue.try_send(packet.clone()).is_err() {
                counters
                    .dropped
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    /// Puts the recorder's tap on this track (announcing the track to it), or takes it off.
    pub(crate) fn set_tap(self: &Arc<Self>, identity: &str, tap: Option<TapSender>) {
        let mut current = self.tap.lock().expect("tap");
        let same = match (&*current, &tap) {
            (Some(a), Some(b)) => a.same_channel(b),
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
        let previous = std::mem::replace(&mut *current, tap);
        if let Some(t) = previous {
            let _ = t.try_send(TapEvent::Ended {
                track_id: self.tap_id.clone(),
            });
        }
    }

    /// The publisher's RTCP sender report, for the tap.
    pub(crate) fn sender_report(&self, ntp: u64, rtp: u32) {
        if let Some(tap) = &*self.tap.lock().expect("tap") {
            let _ = tap.try_send(TapEvent::SenderReport {
                track_id: self.tap_id.clone(),
                ntp,
                rtp,
            });
        }
    }

    /// The track is gone: the tap is told and let go.
    pub(crate) fn end_tap(&self) {
        if let Some(t) = self.tap.lock().expect("tap").take() {
            let _ = t.try_send(TapEvent::Ended {
                track_id: self.tap_id.clone(),
            });
        }
    }

    fn attach(&self, subscriber: &str, queue: mpsc::Sender<Packet>, counters: Arc<Counters>) {
        let mut subscribers = self.subscribers.lock().expect("subscribers");
        subscribers.retain(|(who, _, _)| who != subscriber);
        subscribers.push((subscriber.to_owned(), queue, counters));
    }

    pub fn detach(&self, subscriber: &str) {
        self.subscribers
            .lock()
            .expect("subscribers")
            .retain(|(who, _, _)| who != subscriber);
    }

    pub fn stats(&self) -> TrackStats {
        let (packets, bytes, _) = self.counters.read();
        TrackStats {
            track_id: self.id.clone(),
            kind: kind_name(self.kind).to_owned(),
            packets,
            bytes,
            queue_drops: 0,
        }
    }

    /// Asks the publisher for a keyframe (rate-limited). Audio needs none.
    pub async fn request_keyframe(&self) {
        if self.kind == RtpCodecKind::Audio {
            return;
        }
        {
            let mut last = self.last_pli.lock().expect("pli");
            if last.is_some_and(|t| t.elapsed() < PLI_MIN_INTERVAL) {
                return;
            }
            *last = Some(Instant::now());
        }
        let pli = PictureLossIndication {
            sender_ssrc: 0,
            media_ssrc: self.media_ssrc,
        };
        if let Err(e) = self.remote.write_rtcp(vec![Box::new(pli)]).await {
            tracing::debug!(track = %self.id, error = %e, "keyframe request failed");
        }
    }
}

/// One subscriber's copy of an up-track.
pub struct DownTrack {
    pub sender: Arc<dyn RtpSender>,
    pub up: Arc<UpTrack>,
    pub counters: Arc<Counters>,
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
        let counters = Arc::new(Counters::default());
        up.attach(subscriber, tx, counters.clone());
        tokio::spawn(write_loop(
            local.clone(),
            sender.clone(),
            up.codec.clone(),
            ssrc,
            rx,
            counters.clone(),
            ready,
        ));
        tokio::spawn(feedback_loop(local, up.clone()));
        Ok(DownTrack {
            sender,
            up,
            counters,
        })
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

/// Relays the subscriber's keyframe requests (PLI, FIR) to the publisher.
async fn feedback_loop(local: Arc<TrackLocalStaticRTP>, up: Arc<UpTrack>) {
    while let Some(event) = local.poll().await {
        if let TrackLocalEvent::OnRtcpPacket(_) = event {
            // Only keyframe requests are delivered to us (see `interceptors`).
            up.request_keyframe().await;
        }
    }
}

async fn write_loop(
    local: Arc<TrackLocalStaticRTP>,
    sender: Arc<dyn RtpSender>,
    codec: RTCRtpCodec,
    ssrc: u32,
    mut rx: mpsc::Receiver<Packet>,
    counters: Arc<Counters>,
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
        counters.count(size);
    }
}
