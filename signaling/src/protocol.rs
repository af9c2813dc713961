//! The signaling protocol, version 1: JSON text frames over WebSocket, each an
//! object with a `type`. See docs/signaling.md for a message-by-message example.

use serde::{Deserialize, Serialize};

pub const VERSION: u32 = 1;

/// The largest text frame accepted (an SDP offer with simulcast is ~10 KiB).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Which of the participant's two peer connections a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Publish,
    Subscribe,
}

/// An ICE candidate as the browser's `RTCIceCandidate.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub candidate: String,
    #[serde(default)]
    pub sdp_mid: Option<String>,
    #[serde(default, rename = "sdpMLineIndex")]
    pub sdp_m_line_index: Option<u16>,
    #[serde(default)]
    pub username_fragment: Option<String>,
}

/// Browser → server.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message: the room token from `GET /api/sessions/{id}/join`.
    Join {
        version: u32,
        room: String,
        token: String,
        /// Take over this participant's connection lost less than the resume window ago.
        #[serde(default)]
        resume: bool,
    },
    /// An offer for the publish connection (the browser's camera, microphone, screen).
    PublishOffer {
        sdp: String,
    },
    /// The answer to the server's `subscribe_offer`.
    SubscribeAnswer {
        sdp: String,
    },
    Candidate {
        target: Target,
        candidate: Candidate,
    },
    Mute {
        kind: MediaKind,
        muted: bool,
    },
    /// The size wanted of a subscribed simulcast video track (`low`, `medium`, `high`): the
    /// server sends the largest layer up to it that the subscriber's bandwidth allows.
    Layer {
        track_id: String,
        quality: tribuna_sfu::simulcast::Quality,
    },
    /// The network changed: restart ICE on the subscribe connection (the browser
    /// restarts its publish connection itself with a new `publish_offer`).
    RestartIce,
    Chat {
        text: String,
    },
    /// Legal Mode: give (`true`) or withdraw (`false`) consent to the recording. The call is
    /// recorded only while both parties consent.
    Consent {
        given: bool,
    },
    /// Legal Mode: mark this moment in the recording, with an optional label.
    Mark {
        #[serde(default)]
        label: Option<String>,
    },
    Ping,
    Leave,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Audio,
    Video,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackView {
    pub track_id: String,
    pub kind: String,
    pub mime_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantView {
    pub identity: String,
    pub display_name: String,
    pub tracks: Vec<TrackView>,
}

/// Server → browser.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Joined {
        version: u32,
        room: String,
        identity: String,
        legal_mode: bool,
        /// An earlier connection of this participant was taken over: media went on.
        resumed: bool,
        participants: Vec<ParticipantView>,
    },
    PublishAnswer {
        sdp: String,
    },
    SubscribeOffer {
        sdp: String,
    },
    ParticipantJoined {
        participant: ParticipantView,
    },
    ParticipantLeft {
        identity: String,
        reason: String,
    },
    TrackPublished {
        identity: String,
        track: TrackView,
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
        from: String,
        display_name: String,
        text: String,
        at: String,
    },
    /// Legal Mode: the recording's state (`off`, `waiting_consent`, `recording`,
    /// `unavailable`) and who has consented, sent on every change and after joining.
    Recording {
        state: String,
        consents: Vec<String>,
    },
    /// Legal Mode: a participant marked a moment (`media_ms`: into the recording).
    Marked {
        identity: String,
        label: Option<String>,
        at: String,
        media_ms: Option<u64>,
    },
    /// The room's active speaker, from the microphones' audio levels (`null`: nobody
    /// speaks); sent on every change and after joining when someone speaks.
    ActiveSpeaker {
        identity: Option<String>,
    },
    Pong,
    Error {
        code: String,
        message: String,
    },
    /// The server is closing this connection; `reason` says why.
    Bye {
        reason: String,
    },
}

impl ServerMessage {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        ServerMessage::Error {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// WebSocket close codes (4000–4999 are the application's).
pub mod close {
    pub const NORMAL: u16 = 1000;
    /// Missing, malformed, forged or expired token.
    pub const UNAUTHORIZED: u16 = 4401;
    /// A valid token for another room.
    pub const FORBIDDEN: u16 = 4403;
    /// Too many malformed messages.
    pub const PROTOCOL: u16 = 4400;
    /// No join in time.
    pub const TIMEOUT: u16 = 4408;
    /// The same identity joined from elsewhere.
    pub const REPLACED: u16 = 4409;
    /// The server could not admit the participant (no media port, …).
    pub const UNAVAILABLE: u16 = 4503;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_in_the_documented_shape() {
        let join: ClientMessage =
            serde_json::from_str(r#"{"type":"join","version":1,"room":"r","token":"t"}"#).unwrap();
        assert_eq!(
            join,
            ClientMessage::Join {
                version: 1,
                room: "r".into(),
                token: "t".into(),
                resume: false,
            }
        );
        let cand: ClientMessage = serde_json::from_str(
            r#"{"type":"candidate","target":"publish","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host","sdpMid":"0","sdpMLineIndex":0}}"#,
        )
        .unwrap();
        assert!(matches!(
            cand,
            ClientMessage::Candidate {
                target: Target::Publish,
                ..
            }
        ));
        let out = serde_json::to_string(&ServerMessage::error("bad_message", "nope")).unwrap();
        assert_eq!(
            out,
            r#"{"type":"error","code":"bad_message","message":"nope"}"#
        );
        assert!(serde_json::from_str::<ClientMessage>(
            r#"{"type":"join","room":"r","token":"t","admin":true}"#
        )
        .is_err());
    }
}
