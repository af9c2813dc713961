//! Tribuna's selective forwarding unit on webrtc-rs 0.21.
//!
//! Each participant has two peer connections, as LiveKit does: on the *publish*
//! connection the browser offers its tracks and we answer; on the *subscribe*
//! connection we offer everyone else's tracks and the browser answers. Offers
//! therefore never cross. RTP is forwarded without decoding: one down-track per
//! (subscriber, published track), each with its own SSRC and rewritten payload
//! type, sequence numbers and timestamps (`rewrite`). A slow subscriber only
//! fills its own bounded queue.
#![forbid(unsafe_code)]

pub mod interceptors;
mod media;
mod participant;
pub mod ports;
pub mod rewrite;
mod room;
pub mod simulcast;
pub mod speaker;
pub mod stats;
pub mod tap;
mod tracks;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use media::register_audio_level;
pub use participant::{Participant, PeerTarget, DATA_CHANNEL_LABEL};

/// A signaling connection's hold on a participant.
pub struct Joined {
    pub participant: Arc<Participant>,
    /// The participant's events, for this connection.
    pub events: tokio::sync::mpsc::UnboundedReceiver<SfuEvent>,
    /// An earlier connection of this participant was taken over: media went on.
    pub resumed: bool,
    /// Which attachment this connection is (for `Participant::detach`).
    pub attachment: u64,
}
pub use room::{ParticipantInfo, Room, TrackInfo};

/// Where media flows and how peers are timed out.
#[derive(Debug, Clone)]
pub struct SfuConfig {
    /// The address media sockets bind to (never a wildcard: candidates are exactly the bound addresses).
    pub bind_ip: IpAddr,
    /// The UDP port range; each peer connection takes one port.
    pub first_port: u16,
    pub last_port: u16,
    /// The address announced in candidates when it differs from `bind_ip` (1:1 NAT).
    pub advertised_ip: Option<IpAddr>,
    /// A peer silent this long is disconnected; this long again and it is removed.
    pub ice_disconnected_after: Duration,
    pub ice_failed_after: Duration,
    /// TEST DOUBLE for a lossy network: drop one in N media packets sent to
    /// subscribers (after the NACK buffer), to prove retransmission. `None` in production.
    pub simulated_loss_one_in: Option<u32>,
    /// TEST DOUBLE for a narrow link: cap what goes to each subscriber at the rate
    /// `Sfu::simulate_bandwidth` sets (none until then). `false` in production.
    pub simulated_bandwidth: bool,
}

impl Default for SfuConfig {
    fn default() -> Self {
        SfuConfig {
            bind_ip: IpAddr::from([127, 0, 0, 1]),
            first_port: 50_000,
            last_port: 50_199,
            advertised_ip: None,
            ice_disconnected_after: Duration::from_secs(5),
            ice_failed_after: Duration::from_secs(15),
            simulated_loss_one_in: None,
            simulated_bandwidth: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SfuError {
    #[error("webrtc: {0}")]
    WebRtc(String),
    #[error("no free media port in the configured range")]
    PortsExhausted,
    #[error("the session description could not be used: {0}")]
    BadSdp(String),
    #[error("the participant has left")]
    Closed,
    #[error("timed out gathering ICE candidates")]
    GatheringTimeout,
    #[error("not subscribed to track {0}")]
    UnknownTrack(String),
}

impl SfuError {
    pub(crate) fn webrtc(e: impl std::fmt::Display) -> Self {
        SfuError::WebRtc(e.to_string())
    }
}

/// Why a participant left; recorded with their departure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveReason {
    /// They said goodbye.
    Left,
    /// Their signaling connection went away.
    Disconnected,
    /// Their media stopped answering (ICE failed).
    ConnectionFailed,
    /// The same identity joined again elsewhere.
    Replaced,
}

impl LeaveReason {
    pub fn as_str(self) -> &'static str {
        match self {
            LeaveReason::Left => "left",
            LeaveReason::Disconnected => "disconnected",
            LeaveReason::ConnectionFailed => "connection_failed",
            LeaveReason::Replaced => "replaced",
        }
    }
}

/// What the SFU tells one participant's signaling connection.
#[derive(Debug, Clone, PartialEq)]
pub enum SfuEvent {
    /// A new offer on the subscribe connection; answer with `Participant::subscribe_answer`.
    SubscribeOffer {
        sdp: String,
    },
    ParticipantJoined(ParticipantInfo),
    ParticipantLeft {
        identity: String,
        reason: LeaveReason,
    },
    TrackPublished {
        identity: String,
        track: TrackInfo,
    },
    TrackUnpublished {
        identity: String,
        track_id: String,
    },
    Muted {
        identity: String,
        kind: String,
        muted: bool,
    },
    Chat {
        identity: String,
        display_name: String,
        text: String,
        /// When the room received it (one instant for every recipient).
        at: std::time::SystemTime,
    },
    /// Legal Mode: the room's recording state changed (`state`: `off`, `waiting_consent`,
    /// `recording`, `unavailable`; `consents`: who has consented).
    Recording {
        state: String,
        consents: Vec<String>,
    },
    /// Legal Mode: a participant marked a moment.
    Marked {
        identity: String,
        label: Option<String>,
        at: std::time::SystemTime,
        /// Milliseconds since the recording began, when recording.
        media_ms: Option<u64>,
    },
    /// The room's active speaker changed (`None`: nobody speaks).
    ActiveSpeaker {
        identity: Option<String>,
    },
    /// A message arrived on the participant's data channel (`None`: not UTF-8 text).
    Data(Option<String>),
    /// This participant was removed by the SFU.
    Closed {
        reason: LeaveReason,
    },
}

/// The SFU: rooms by name, and the media port pool.
pub struct Sfu {
    config: SfuConfig,
    ports: Arc<ports::PortPool>,
    rooms: Mutex<HashMap<String, Arc<Room>>>,
    simulated_drops: Arc<std::sync::atomic::AtomicU64>,
    /// The simulated narrow link's cap in bits/s (0: none), shared by every subscriber.
    simulated_cap: Arc<std::sync::atomic::AtomicU64>,
}

impl Sfu {
    pub fn new(config: SfuConfig) -> Arc<Self> {
        Arc::new(Sfu {
            ports: ports::PortPool::new(config.first_port, config.last_port),
            config,
            rooms: Mutex::new(HashMap::new()),
            simulated_drops: Arc::default(),
            simulated_cap: Arc::default(),
        })
    }

    pub fn config(&self) -> &SfuConfig {
        &self.config
    }

    /// Joins `identity` to `room`. With `resume`, a participant of the same identity still
    /// in its resume window is taken over (media untouched; the bool is true); otherwise a
    /// previous connection of the same identity is replaced. Events arrive on the receiver.
    pub async fn join(
        self: &Arc<Self>,
        room: &str,
        identity: &str,
        display_name: &str,
        resume: bool,
    ) -> Result<Joined, SfuError> {
        let room = {
            let mut rooms = self.rooms.lock().expect("rooms");
            rooms
                .entry(room.to_owned())
                .or_insert_with(|| Room::new(room))
                .clone()
        };
        if let Some(previous) = room.participant(identity) {
            if resume {
                if let Some((events, attachment)) = previous.reattach() {
                    previous.resend_pending_offer().await;
                    return Ok(Joined {
                        participant: previous,
                        events,
                        resumed: true,
                        attachment,
                    });
                }
            }
            previous.close(LeaveReason::Replaced).await;
        }
        let (participant, events) =
            Participant::connect(self.clone(), room.clone(), identity, display_name).await?;
        room.admit(participant.clone()).await;
        participant.offer_data_channel().await;
        Ok(Joined {
            participant,
            events,
            resumed: false,
            attachment: 0,
        })
    }

    pub fn room(&self, name: &str) -> Option<Arc<Room>> {
        self.rooms.lock().expect("rooms").get(name).cloned()
    }

    /// Forgets `room` once it is empty.
    pub(crate) fn forget_if_empty(&self, room: &Arc<Room>) {
        let mut rooms = self.rooms.lock().expect("rooms");
        if room.is_empty() && rooms.get(room.name()).is_some_and(|r| Arc::ptr_eq(r, room)) {
            rooms.remove(room.name());
        }
    }

    /// Packets dropped by the simulated lossy network (tests only).
    pub fn simulated_drops(&self) -> u64 {
        self.simulated_drops
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// TEST DOUBLE: from now on every subscriber's link carries at most `bps` bits/s (`None`:
    /// no cap). Only with `SfuConfig::simulated_bandwidth`.
    pub fn simulate_bandwidth(&self, bps: Option<u64>) {
        assert!(
            self.config.simulated_bandwidth,
            "the narrow link is a test double: set SfuConfig::simulated_bandwidth"
        );
        self.simulated_cap
            .store(bps.unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
    }

    /// The test doubles on a subscriber's link, when configured.
    pub(crate) fn simulated_link(&self) -> media::SimulatedLink {
        media::SimulatedLink {
            loss: self
                .config
                .simulated_loss_one_in
                .map(|n| (n, self.simulated_drops.clone())),
            cap: self
                .config
                .simulated_bandwidth
                .then(|| (self.simulated_cap.clone(), self.simulated_drops.clone())),
        }
    }

    /// A snapshot of every room's media statistics.
    pub async fn stats(&self) -> Vec<stats::RoomStats> {
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .lock()
            .expect("rooms")
            .values()
            .cloned()
            .collect();
        let mut out = Vec::with_capacity(rooms.len());
        for room in rooms {
            let mut participants = Vec::new();
            for p in room.participants() {
                participants.push(p.stats().await);
            }
            participants.sort_by(|a, b| a.identity.cmp(&b.identity));
            out.push(stats::RoomStats {
                room: room.name().to_owned(),
                participants,
            });
        }
        out.sort_by(|a, b| a.room.cmp(&b.room));
        out
    }

    pub fn free_ports(&self) -> usize {
        self.ports.available()
    }
}
