//! A synthetic call participant made of webrtc-rs peer connections, speaking our signaling
//! protocol over a real WebSocket: publishes synthetic VP8 and Opus RTP whose
//! payloads name their sender and sequence, and records what it receives.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use rtc::interceptor::{Registry, Slot};
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::MediaEngine;
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp::header::Header;
use rtc::rtp::packet::Packet;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind,
};
use serde_json::{json, Value};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tribuna_sfu::interceptors::{KeyframeRequests, KEYFRAME_REQUESTS_SLOT};
use webrtc::data_channel::{DataChannel, DataChannelEvent, RTCDataChannelState};
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::media_stream::track_local::TrackLocal;
use webrtc::media_stream::track_local::TrackLocalEvent;
use webrtc::media_stream::track_remote::{TrackRemote, TrackRemoteEvent};
use webrtc::peer_connection::{
    PeerConnection, PeerConnectionBuilder, PeerConnectionEventHandler, RTCIceGatheringState,
};

type WsSink = futures::stream::SplitSink<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    Message,
>;

/// A published track: its payload type, SSRC, name and audio-level extension id.
type PublishedTrack = (Arc<TrackLocalStaticRTP>, u8, u32, &'static str, Option<u8>);

/// Payloads received, by the sender's track id (`identity/track`).
pub type Received = Arc<Mutex<HashMap<String, Vec<Bytes>>>>;

/// Remote tracks by id, so the test can send feedback (PLI) about them.
pub type Remotes = Arc<Mutex<HashMap<String, Arc<dyn TrackRemote>>>>;

/// Where a subscribe connection puts what it receives.
#[derive(Clone)]
struct Subscriber {
    received: Received,
    remotes: Remotes,
    /// Messages from the SFU's data channel go to the inbox too, marked `"via": "data_channel"`.
    inbox: mpsc::UnboundedSender<Value>,
    channel: Channel,
}

/// The SFU's data channel on the subscribe connection, once announced.
type Channel = Arc<Mutex<Option<Arc<dyn DataChannel>>>>;

struct Handler {
    gathered: watch::Sender<bool>,
    subscriber: Option<Subscriber>,
}

#[async_trait::async_trait]
impl PeerConnectionEventHandler for Handler {
    async fn on_ice_gathering_state_change(&self, state: RTCIceGatheringState) {
        let _ = self.gathered.send(state == RTCIceGatheringState::Complete);
    }
    async fn on_data_channel(&self, channel: Arc<dyn DataChannel>) {
        let Some(sub) = self.subscriber.clone() else {
            return;
        };
        *sub.channel.lock().unwrap() = Some(channel.clone());
        tokio::spawn(async move {
            while let Some(event) = channel.poll().await {
                if let DataChannelEvent::OnMessage(m) = event {
                    let mut v: Value = serde_json::from_slice(&m.data)
                        .unwrap_or_else(|_| json!({"type": "unparseable"}));
                    v["via"] = json!("data_channel");
                    let _ = sub.inbox.send(v);
                }
            }
        });
    }

    async fn on_track(&self, track: Arc<dyn TrackRemote>) {
        let Some(Subscriber {
            received, remotes, ..
        }) = self.subscriber.clone()
        else {
            return;
        };
        tokio::spawn(async move {
            let id = track.track_id().await.to_string();
            remotes.lock().unwrap().insert(id.clone(), track.clone());
            while let Some(event) = track.poll().await {
                if let TrackRemoteEvent::OnRtpPacket(p) = event {
                    // A copy of the marker only: a slice would keep the padded packet alive.
                    let marker = p
                        .payload
                        .iter()
                        .position(|b| *b == b'#')
                        .map_or(p.payload.clone(), |i| {
                            Bytes::copy_from_slice(&p.payload[..i])
                        });
                    received
                        .lock()
                        .unwrap()
                        .entry(id.clone())
                        .or_default()
                        .push(marker);
                }
            }
        });
    }
}

async fn peer(subscriber: Option<Subscriber>) -> (Arc<dyn PeerConnection>, watch::Receiver<bool>) {
    let mut engine = MediaEngine::default();
    engine.register_default_codecs().unwrap();
    tribuna_sfu::register_audio_level(&mut engine).unwrap();
    // Like a browser, the test peer acts on keyframe requests: it needs them delivered.
    let registry = register_default_interceptors(Registry::new(), &mut engine)
        .unwrap()
        .with(
            Slot::from(KEYFRAME_REQUESTS_SLOT),
            KeyframeRequests::default(),
        );
    let (tx, rx) = watch::channel(false);
    let pc = PeerConnectionBuilder::new()
        .with_configuration(RTCConfigurationBuilder::new().build())
        .with_media_engine(engine)
        .with_interceptor_registry(registry)
        .with_handler(Arc::new(Handler {
            gathered: tx,
            subscriber,
        }) as Arc<dyn PeerConnectionEventHandler>)
        .with_udp_addrs(vec![SocketAddr::from(([127, 0, 0, 1], 0))])
        .build()
        .await
        .unwrap();
    (Arc::new(pc), rx)
}

async fn local_sdp(pc: &Arc<dyn PeerConnection>, gathered: &watch::Receiver<bool>) -> String {
    let mut g = gathered.clone();
    tokio::time::timeout(Duration::from_secs(5), g.wait_for(|d| *d))
        .await
        .unwrap()
        .unwrap();
    pc.local_description().await.unwrap().sdp
}

/// Answers a subscribe offer; `None` when the connection is closing.
async fn answer_offer(
    pc: &Arc<dyn PeerConnection>,
    gathered: &watch::Receiver<bool>,
    m: &Value,
    out: &Sink,
) -> Option<()> {
    let offer = RTCSessionDescription::offer(m["sdp"].as_str()?.to_owned()).ok()?;
    pc.set_remote_description(offer).await.ok()?;
    let answer = pc.create_answer(None).await.ok()?;
    pc.set_local_description(answer).await.ok()?;
    let sdp = local_sdp(pc, gathered).await;
    let reply = json!({"type": "subscribe_answer", "sdp": sdp}).to_string();
    out.lock()
        .await
        .as_mut()?
        .send(Message::text(reply))
        .await
        .ok()
}

/// The current signaling connection's sending half; `None` after `drop_signaling`.
type Sink = Arc<tokio::sync::Mutex<Option<WsSink>>>;
type WsStream = futures::stream::SplitStream<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
>;

/// The ICE username fragment an SDP carries.
fn ice_ufrag(sdp: &str) -> Option<String> {
    sdp.lines()
        .find_map(|l| l.trim().strip_prefix("a=ice-ufrag:").map(str::to_owned))
}

/// Reads server messages: answers subscribe offers (noting their ICE ufrag), queues the rest.
fn spawn_reader(
    mut stream: WsStream,
    pc: Arc<dyn PeerConnection>,
    gathered: watch::Receiver<bool>,
    out: Sink,
    inbox: mpsc::UnboundedSender<Value>,
    offer_ufrags: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(Ok(frame)) = stream.next().await {
            let Message::Text(t) = frame else { continue };
            let m: Value = serde_json::from_str(t.as_str()).unwrap();
            if m["type"] == "subscribe_offer" {
                let ufrag = ice_ufrag(m["sdp"].as_str().unwrap_or_default());
                offer_ufrags.lock().unwrap().extend(ufrag);
                // Fails only while this peer is leaving (its connection closed): then stop.
                if answer_offer(&pc, &gathered, &m, &out).await.is_none() {
                    break;
                }
            } else {
                let _ = inbox.send(m);
            }
        }
    })
}

/// Opens a signaling connection and sends `join`; the first answer, and the socket if joined.
async fn open_and_join(
    ws_url: &str,
    room: &str,
    token: &str,
    resume: bool,
) -> Result<(Value, WsSink, WsStream), Refusal> {
    let mut ws = raw_socket(ws_url).await;
    ws.send(Message::text(
        json!({"type": "join", "version": 1, "room": room, "token": token, "resume": resume})
            .to_string(),
    ))
    .await
    .unwrap();
    let first = match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str::<Value>(t.as_str()).unwrap(),
        other => panic!("no answer to join: {other:?}"),
    };
    if first["type"] != "joined" {
        let mut r = refusal(&mut ws).await;
        r.code = first["code"].as_str().unwrap_or_default().to_owned();
        return Err(r);
    }
    let (sink, stream) = ws.split();
    Ok((first, sink, stream))
}

pub struct TestPeer {
    pub identity: String,
    sink: Sink,
    /// Server messages other than subscribe offers, in order.
    pub inbox: mpsc::UnboundedReceiver<Value>,
    pub received: Received,
    remotes: Remotes,
    /// When keyframe requests reached this peer's published tracks, by track name.
    pub keyframe_requests: Arc<Mutex<Vec<(String, tokio::time::Instant)>>>,
    publish: Option<Arc<dyn PeerConnection>>,
    subscribe: Arc<dyn PeerConnection>,
    subscribe_gathered: watch::Receiver<bool>,
    senders: Vec<tokio::task::JoinHandle<()>>,
    reader: tokio::task::JoinHandle<()>,
    inbox_tx: mpsc::UnboundedSender<Value>,
    /// The ICE ufrag of every subscribe offer received, in order.
    pub offer_ufrags: Arc<Mutex<Vec<String>>>,
    /// The audio level (−dBov, 127 silence) the microphone's packets carry (`speak`).
    voice: Arc<std::sync::atomic::AtomicU8>,
    channel: Channel,
}

/// A refused connection: the error frame's code and the close code.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: String,
    pub close: Option<u16>,
}

pub async fn raw_socket(
    url: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects")
        .0
}

/// Reads frames until an error frame and a close, or the end.
pub async fn refusal(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Refusal {
    let mut code = String::new();
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        match frame {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["type"] == "error" {
                    code = v["code"].as_str().unwrap().to_owned();
                }
            }
            Message::Close(c) => {
                return Refusal {
                    code,
                    close: c.map(|c| u16::from(c.code)),
                }
            }
            _ => {}
        }
    }
    Refusal { code, close: None }
}

impl TestPeer {
    /// Connects, joins with `token`, and waits for `joined`.
    pub async fn join(ws_url: &str, room: &str, token: &str) -> Result<(TestPeer, Value), Refusal> {
        let (first, sink, stream) = open_and_join(ws_url, room, token, false).await?;
        let identity = first["identity"].as_str().unwrap().to_owned();
        let sink: Sink = Arc::new(tokio::sync::Mutex::new(Some(sink)));
        let received: Received = Arc::default();
        let remotes: Remotes = Arc::default();
        let channel: Channel = Arc::default();
        let (inbox_tx, inbox) = mpsc::unbounded_channel();
        let (subscribe, subscribe_gathered) = peer(Some(Subscriber {
            received: received.clone(),
            remotes: remotes.clone(),
            inbox: inbox_tx.clone(),
            channel: channel.clone(),
        }))
        .await;
        let offer_ufrags: Arc<Mutex<Vec<String>>> = Arc::default();
        let reader = spawn_reader(
            stream,
            subscribe.clone(),
            subscribe_gathered.clone(),
            sink.clone(),
            inbox_tx.clone(),
            offer_ufrags.clone(),
        );
        Ok((
            TestPeer {
                identity,
                sink,
                inbox,
                received,
                remotes,
                keyframe_requests: Arc::default(),
                publish: None,
                subscribe,
                subscribe_gathered,
                senders: Vec::new(),
                reader,
                inbox_tx,
                offer_ufrags,
                voice: Arc::new(std::sync::atomic::AtomicU8::new(127)),
                channel,
            },
            first,
        ))
    }

    /// Cuts the signaling connection abruptly (no `leave`, no close frame), as a lost
    /// network would; the media connections stay up.
    pub async fn drop_signaling(&mut self) {
        self.reader.abort();
        if !self.reader.is_finished() {
            let _ = (&mut self.reader).await;
        }
        self.sink.lock().await.take();
    }

    /// Opens a new signaling connection for the same peer and media connections;
    /// `resume` asks to take over the earlier one. Returns the server's first answer.
    pub async fn reconnect(
        &mut self,
        ws_url: &str,
        room: &str,
        token: &str,
        resume: bool,
    ) -> Result<Value, Refusal> {
        self.drop_signaling().await;
        let (first, sink, stream) = open_and_join(ws_url, room, token, resume).await?;
        *self.sink.lock().await = Some(sink);
        self.reader = spawn_reader(
            stream,
            self.subscribe.clone(),
            self.subscribe_gathered.clone(),
            self.sink.clone(),
            self.inbox_tx.clone(),
            self.offer_ufrags.clone(),
        );
        Ok(first)
    }

    pub async fn send(&self, message: Value) {
        self.sink
            .lock()
            .await
            .as_mut()
            .expect("signaling connected")
            .send(Message::text(message.to_string()))
            .await
            .unwrap();
    }

    /// The next inbox message, whatever its kind, within 10 s.
    pub async fn expect_any(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(10), self.inbox.recv())
            .await
            .expect("no message")
            .expect("inbox open")
    }

    /// The next inbox message of `kind`, within 10 s, failing if one of type `forbidden`
    /// comes first (others are skipped).
    pub async fn expect_before(&mut self, kind: &str, forbidden: &str) -> Value {
        loop {
            let m = self.expect_any().await;
            assert_ne!(m["type"], forbidden, "{forbidden} before {kind}: {m}");
            if m["type"] == kind {
                return m;
            }
        }
    }

    /// The next inbox message of `kind` (others are skipped), within 10 s.
    pub async fn expect(&mut self, kind: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let m = tokio::time::timeout_at(deadline, self.inbox.recv())
                .await
                .unwrap_or_else(|_| panic!("no {kind} message"))
                .unwrap();
            if m["type"] == kind {
                return m;
            }
        }
    }

    /// Publishes a VP8 and an Opus track and starts sending synthetic RTP on both.
    pub async fn publish(&mut self) {
        self.publish_padded(0).await
    }

    /// Like `publish`, with video payloads padded to `video_bytes` (for a set bitrate:
    /// 50 packets a second, so 1250 bytes is 500 kbit/s).
    pub async fn publish_padded(&mut self, video_bytes: usize) {
        self.publish_synthetic(video_bytes, "video/VP8").await
    }

    /// Like `publish`, with the camera in H.264 (the payloads are still synthetic markers).
    pub async fn publish_h264(&mut self) {
        self.publish_synthetic(0, "video/H264").await
    }

    async fn publish_synthetic(&mut self, video_bytes: usize, video_mime: &'static str) {
        for (track, pt, ssrc, name, level_id) in self.negotiate_publish(video_mime).await {
            let who = self.identity.clone();
            let voice = self.voice.clone();
            self.senders.push(tokio::spawn(async move {
                let mut interval = tokio::time::interval(Duration::from_millis(20));
                for n in 0u32.. {
                    interval.tick().await;
                    let mut header = Header {
                        version: 2,
                        payload_type: pt,
                        ssrc,
                        sequence_number: n as u16,
                        timestamp: n * 960,
                        marker: true,
                        ..Default::default()
                    };
                    if let Some(id) = level_id {
                        let level = voice.load(std::sync::atomic::Ordering::Relaxed);
                        header.extension = true;
                        header.extension_profile = 0xBEDE;
                        header.set_extension(id, Bytes::from(vec![level])).unwrap();
                    }
                    let packet = Packet {
                        header,
                        payload: {
                            let mut p = format!("{who}:{name}:{n}");
                            if name == "camera" && video_bytes > p.len() + 1 {
                                p.push('#');
                                p.extend(std::iter::repeat_n('x', video_bytes - p.len()));
                            }
                            Bytes::from(p)
                        },
                    };
                    if track.write_rtp(packet).await.is_err() {
                        break;
                    }
                }
            }));
        }
    }

    /// Publishes real media: `clip`'s VP8 frames at 30 frames a second (looped, timestamps
    /// running on) and 20 ms Opus frames (`crate::media::OPUS_SILENCE`), until the peer leaves.
    pub async fn publish_clip(&mut self, clip: Arc<crate::media::Clip>) {
        for (track, pt, ssrc, name, _) in self.negotiate_publish("video/VP8").await {
            let clip = clip.clone();
            self.senders.push(tokio::spawn(async move {
                let video = name == "camera";
                let period = Duration::from_micros(if video { 33_333 } else { 20_000 });
                let mut interval = tokio::time::interval(period);
                let mut seq = rand::random::<u16>();
                for n in 0u32.. {
                    interval.tick().await;
                    let (frames, ts) = if video {
                        let frame = &clip.frames[n as usize % clip.frames.len()];
                        (crate::media::vp8_packets(&frame.0), n.wrapping_mul(3000))
                    } else {
                        (
                            vec![crate::media::OPUS_SILENCE.to_vec()],
                            n.wrapping_mul(960),
                        )
                    };
                    let last = frames.len() - 1;
                    for (i, payload) in frames.into_iter().enumerate() {
                        let packet = Packet {
                            header: Header {
                                version: 2,
                                payload_type: pt,
                                ssrc,
                                sequence_number: seq,
                                timestamp: ts,
                                marker: i == last,
                                ..Default::default()
                            },
                            payload: Bytes::from(payload),
                        };
                        seq = seq.wrapping_add(1);
                        if track.write_rtp(packet).await.is_err() {
                            return;
                        }
                    }
                }
            }));
        }
    }

    /// Restarts ICE on the publish connection, as a browser whose network changed: an offer
    /// with new credentials, answered by the server. Returns the server's old and new ufrag.
    pub async fn restart_publish_ice(&mut self) -> (String, String) {
        let pc = self.publish.clone().expect("publishing");
        let server_ufrag = || async {
            ice_ufrag(&pc.remote_description().await.expect("answered").sdp).expect("an ICE ufrag")
        };
        let old = server_ufrag().await;
        let offer = pc
            .create_offer(Some(rtc::peer_connection::configuration::RTCOfferOptions {
                ice_restart: true,
            }))
            .await
            .unwrap();
        pc.set_local_description(offer).await.unwrap();
        let sdp = pc.local_description().await.unwrap().sdp;
        self.offer_publish(&pc, &sdp).await;
        (old, server_ufrag().await)
    }

    /// Sends `sdp` as the publish connection's offer and applies the server's answer.
    async fn offer_publish(&mut self, pc: &Arc<dyn PeerConnection>, sdp: &str) {
        self.send(json!({"type": "publish_offer", "sdp": sdp}))
            .await;
        let answer = self.expect("publish_answer").await;
        pc.set_remote_description(
            RTCSessionDescription::answer(answer["sdp"].as_str().unwrap().to_owned()).unwrap(),
        )
        .await
        .unwrap();
    }

    /// Sends `text` on the SFU's data channel once it is open (within 10 s).
    pub async fn send_on_channel(&self, text: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let channel = self.channel.lock().unwrap().clone();
            if let Some(c) = channel {
                if c.ready_state().await.ok() == Some(RTCDataChannelState::Open) {
                    c.send_text(text).await.unwrap();
                    return;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{}: the data channel did not open",
                self.identity
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// From now on the microphone's packets carry `level` (−dBov: 0 the loudest, 127 silence)
    /// in the audio-level header extension.
    pub fn speak(&self, level: u8) {
        self.voice
            .store(level, std::sync::atomic::Ordering::Relaxed);
    }

    /// Publishes a simulcast camera as a browser does: three encodings (RIDs `q`, `h`, `f`,
    /// each its own SSRC, with the mid and rid header extensions) of synthetic VP8 at about
    /// 100 kbit/s, 400 kbit/s and 1.2 Mbit/s (every 20 ms: one 250-byte packet, one and three
    /// 1000-byte packets), a keyframe on each every half second. Payloads carry a VP8
    /// descriptor and frame tag, then `identity:camera-<rid>:<n>`.
    pub async fn publish_simulcast(&mut self) {
        const LAYERS: [(&str, usize, usize); 3] = [("q", 1, 250), ("h", 1, 1000), ("f", 3, 1000)];
        let (pc, gathered) = peer(None).await;
        let ssrcs: Vec<u32> = LAYERS.iter().map(|_| rand::random()).collect();
        let codec = RTCRtpCodec {
            mime_type: "video/VP8".into(),
            clock_rate: 90_000,
            ..Default::default()
        };
        let encodings = LAYERS
            .iter()
            .zip(&ssrcs)
            .map(|((rid, ..), ssrc)| RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters {
                    rid: (*rid).into(),
                    ssrc: Some(*ssrc),
                    ..Default::default()
                },
                codec: codec.clone(),
                ..Default::default()
            })
            .collect();
        let track = Arc::new(TrackLocalStaticRTP::new(MediaStreamTrack::new(
            self.identity.clone(),
            "camera".into(),
            "camera".into(),
            RtpCodecKind::Video,
            encodings,
        )));
        let sender = pc
            .add_track(track.clone() as Arc<dyn TrackLocal>)
            .await
            .unwrap();
        let offer = pc.create_offer(None).await.unwrap();
        pc.set_local_description(offer).await.unwrap();
        let sdp = local_sdp(&pc, &gathered).await;
        let mid = sdp
            .lines()
            .find_map(|l| l.trim().strip_prefix("a=mid:").map(str::to_owned))
            .expect("a mid");
        self.offer_publish(&pc, &sdp).await;
        let params = sender.get_parameters().await.unwrap().rtp_parameters;
        let pt = params
            .codecs
            .iter()
            .find(|c| c.rtp_codec.mime_type.eq_ignore_ascii_case("video/VP8"))
            .unwrap()
            .payload_type;
        let ext = |uri: &str| {
            params
                .header_extensions
                .iter()
                .find(|e| e.uri == uri)
                .map(|e| e.id as u8)
                .unwrap_or_else(|| panic!("{uri} negotiated"))
        };
        let (mid_id, rid_id) = (
            ext(rtc::sdp::extmap::SDES_MID_URI),
            ext(rtc::sdp::extmap::SDES_RTP_STREAM_ID_URI),
        );
        let who = self.identity.clone();
        self.senders.push(tokio::spawn(async move {
            let mut interval = tokio::time::interval(Duration::from_millis(20));
            let mut seqs = [0u16; 3];
            for n in 0u32.. {
                interval.tick().await;
                for (l, (rid, count, size)) in LAYERS.iter().enumerate() {
                    for k in 0..*count {
                        let mut header = Header {
                            version: 2,
                            payload_type: pt,
                            ssrc: ssrcs[l],
                            sequence_number: seqs[l],
                            timestamp: n.wrapping_mul(1800),
                            marker: k + 1 == *count,
                            extension: true,
                            extension_profile: 0xBEDE,
                            ..Default::default()
                        };
                        header
                            .set_extension(mid_id, Bytes::from(mid.clone()))
                            .unwrap();
                        header
                            .set_extension(rid_id, Bytes::from(rid.to_string()))
                            .unwrap();
                        seqs[l] = seqs[l].wrapping_add(1);
                        // Descriptor: S=1 on a frame's first packet; frame tag bit 0 = 0 on a keyframe.
                        let keyframe = n % 25 == 0;
                        let mut payload =
                            vec![if k == 0 { 0x10 } else { 0x00 }, u8::from(!keyframe)];
                        payload.extend_from_slice(format!("{who}:camera-{rid}:{n}#").as_bytes());
                        payload.resize(*size, b'x');
                        let packet = Packet {
                            header,
                            payload: Bytes::from(payload),
                        };
                        if track.write_rtp(packet).await.is_err() {
                            return;
                        }
                    }
                }
            }
        }));
        self.publish = Some(pc);
    }

    /// Offers a camera in `video_mime` and an Opus microphone on the publish connection;
    /// returns each track with its negotiated payload type, SSRC, name and audio-level
    /// extension id (the microphone's). Keyframe requests are counted.
    async fn negotiate_publish(&mut self, video_mime: &'static str) -> Vec<PublishedTrack> {
        let (pc, gathered) = peer(None).await;
        let mut tracks = Vec::new();
        for (kind, mime, clock, channels, name) in [
            (RtpCodecKind::Video, video_mime, 90_000, 0, "camera"),
            (RtpCodecKind::Audio, "audio/opus", 48_000, 2, "microphone"),
        ] {
            let ssrc = rand::random::<u32>();
            let codec = RTCRtpCodec {
                mime_type: mime.into(),
                clock_rate: clock,
                channels,
                ..Default::default()
            };
            let track = Arc::new(TrackLocalStaticRTP::new(MediaStreamTrack::new(
                self.identity.clone(),
                name.into(),
                name.into(),
                kind,
                vec![RTCRtpEncodingParameters {
                    rtp_coding_parameters: RTCRtpCodingParameters {
                        ssrc: Some(ssrc),
                        ..Default::default()
                    },
                    codec: codec.clone(),
                    ..Default::default()
                }],
            )));
            let sender = pc
                .add_track(track.clone() as Arc<dyn TrackLocal>)
                .await
                .unwrap();
            tracks.push((track, sender, ssrc, mime, name));
        }
        let offer = pc.create_offer(None).await.unwrap();
        pc.set_local_description(offer).await.unwrap();
        let sdp = local_sdp(&pc, &gathered).await;
        self.offer_publish(&pc, &sdp).await;
        let mut out = Vec::new();
        for (track, sender, ssrc, mime, name) in tracks {
            let params = sender.get_parameters().await.unwrap();
            let pt = params
                .rtp_parameters
                .codecs
                .iter()
                .find(|c| c.rtp_codec.mime_type.eq_ignore_ascii_case(mime))
                .unwrap()
                .payload_type;
            let (requests, feedback, label) = (
                self.keyframe_requests.clone(),
                track.clone(),
                name.to_owned(),
            );
            self.senders.push(tokio::spawn(async move {
                while let Some(event) = feedback.poll().await {
                    if let TrackLocalEvent::OnRtcpPacket(_) = event {
                        requests
                            .lock()
                            .unwrap()
                            .push((label.clone(), tokio::time::Instant::now()));
                    }
                }
            }));
            let level_id = params
                .rtp_parameters
                .header_extensions
                .iter()
                .find(|e| e.uri == rtc::sdp::extmap::AUDIO_LEVEL_URI && name == "microphone")
                .and_then(|e| u8::try_from(e.id).ok());
            out.push((track, pt, ssrc, name, level_id));
        }
        self.publish = Some(pc);
        out
    }

    /// Payloads received so far from `identity`'s track `name`.
    pub fn payloads_from(&self, identity: &str, name: &str) -> Vec<String> {
        let received = self.received.lock().unwrap();
        received
            .get(&format!("{identity}/{name}"))
            .map(|v| {
                v.iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits (up to 15 s) until at least `n` packets of `identity`'s `name` arrived.
    pub async fn await_packets(&self, identity: &str, name: &str, n: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.payloads_from(identity, name);
            if got.len() >= n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} got {} of {n} packets from {identity}/{name}",
                self.identity,
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Asks the SFU for a keyframe of `identity`'s track `name`, as a browser's decoder would.
    pub async fn send_pli(&self, identity: &str, name: &str) {
        let track = self
            .remotes
            .lock()
            .unwrap()
            .get(&format!("{identity}/{name}"))
            .cloned()
            .expect("receiving that track");
        let ssrc = *track.ssrcs().await.first().unwrap();
        track
            .write_rtcp(vec![Box::new(PictureLossIndication {
                sender_ssrc: 0,
                media_ssrc: ssrc,
            })])
            .await
            .unwrap();
    }

    pub async fn leave(self) {
        if let Some(sink) = self.sink.lock().await.as_mut() {
            let _ = sink
                .send(Message::text(json!({"type": "leave"}).to_string()))
                .await;
        }
        self.reader.abort();
        for s in &self.senders {
            s.abort();
        }
        if let Some(p) = &self.publish {
            let _ = p.close().await;
        }
        let _ = self.subscribe.close().await;
    }
}
