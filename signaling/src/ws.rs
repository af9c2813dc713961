//! One WebSocket connection: authenticate with a room token, then relay between
//! the browser and its participant in the SFU.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use futures::{SinkExt, StreamExt};
use rtc::peer_connection::transport::RTCIceCandidateInit;
use tribuna_sfu::{Joined, LeaveReason, Participant, PeerTarget, Sfu, SfuEvent};

use crate::protocol::{
    close, ClientMessage, ParticipantView, ServerMessage, Target, TrackView, MAX_MESSAGE_BYTES,
    VERSION,
};
use crate::token::{RoomGrant, RoomTokenError, RoomTokenKey};

/// Learns of joins and leaves (attendance), e.g. to record them in the database.
pub trait RoomObserver: Send + Sync + 'static {
    fn joined(&self, room: &str, identity: &str, at: DateTime<Utc>);
    fn left(&self, room: &str, identity: &str, reason: &str, at: DateTime<Utc>);
    /// Legal Mode: a participant gave (`given`) or withdrew their consent to the recording.
    fn consent(&self, _room: &str, _identity: &str, _given: bool, _at: DateTime<Utc>) {}
    /// Legal Mode: a participant marked this moment, with an optional label.
    fn mark(&self, _room: &str, _identity: &str, _label: Option<&str>, _at: DateTime<Utc>) {}
}

/// An observer that records nothing.
pub struct NoObserver;
impl RoomObserver for NoObserver {
    fn joined(&self, _: &str, _: &str, _: DateTime<Utc>) {}
    fn left(&self, _: &str, _: &str, _: &str, _: DateTime<Utc>) {}
}

#[derive(Clone)]
pub struct Signaling {
    pub sfu: Arc<Sfu>,
    pub tokens: RoomTokenKey,
    pub observer: Arc<dyn RoomObserver>,
    pub now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    /// How long a participant whose signaling connection dropped stays, to be resumed.
    pub resume_window: Duration,
}

/// How long a new connection has to send `join`.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection silent this long (no message, no pong) is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Malformed messages tolerated before the connection is closed.
const MAX_STRIKES: u32 = 5;

pub fn router(signaling: Signaling) -> Router {
    Router::new()
        .route("/ws", get(upgrade))
        .with_state(signaling)
}

async fn upgrade(State(s): State<Signaling>, ws: WebSocketUpgrade) -> Response {
    // Frames a bit over our own limit still arrive, so they get an error frame rather than a dropped connection.
    ws.max_message_size(4 * MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| connection(socket, s))
}

fn text(m: &ServerMessage) -> Message {
    Message::Text(Utf8Bytes::from(
        serde_json::to_string(m).expect("server messages serialize"),
    ))
}

async fn refuse(socket: &mut WebSocket, code: &str, message: &str, close_code: u16) {
    let _ = socket
        .send(text(&ServerMessage::error(code, message)))
        .await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: close_code,
            reason: Utf8Bytes::from(code.to_owned()),
        })))
        .await;
}

fn token_refusal(e: RoomTokenError) -> (&'static str, u16) {
    match e {
        RoomTokenError::Expired => ("token_expired", close::UNAUTHORIZED),
        RoomTokenError::NotYetValid => ("token_not_yet_valid", close::UNAUTHORIZED),
        RoomTokenError::WrongRoom => ("wrong_room", close::FORBIDDEN),
        RoomTokenError::Forged | RoomTokenError::Malformed | RoomTokenError::WeakKey => {
            ("token_invalid", close::UNAUTHORIZED)
        }
    }
}

/// Waits for `join` and checks its token.
async fn authenticate(socket: &mut WebSocket, s: &Signaling) -> Option<(String, RoomGrant, bool)> {
    let first = match tokio::time::timeout(JOIN_TIMEOUT, socket.recv()).await {
        Ok(Some(Ok(Message::Text(t)))) => t,
        Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return None,
        Ok(Some(Ok(_))) => {
            refuse(
                socket,
                "join_first",
                "the first message must be join, as a JSON text frame",
                close::UNAUTHORIZED,
            )
            .await;
            return None;
        }
        Err(_) => {
            refuse(
                socket,
                "join_timeout",
                "send join first, within 10 s",
                close::TIMEOUT,
            )
            .await;
            return None;
        }
    };
    let (room, token, resume) = match serde_json::from_str::<ClientMessage>(first.as_str()) {
        Ok(ClientMessage::Join {
            version,
            room,
            token,
            resume,
        }) if version == VERSION => (room, token, resume),
        Ok(ClientMessage::Join { version, .. }) => {
            refuse(
                socket,
                "unsupported_version",
                &format!("protocol version {version} is not {VERSION}"),
                close::PROTOCOL,
            )
            .await;
            return None;
        }
        _ => {
            refuse(
                socket,
                "join_first",
                "the first message must be join with a room token",
                close::UNAUTHORIZED,
            )
            .await;
            return None;
        }
    };
    match s.tokens.verify(&token, &room, (s.now)()) {
        Ok(grant) => Some((room, grant, resume)),
        Err(e) => {
            let (code, close_code) = token_refusal(e.clone());
            refuse(socket, code, &e.to_string(), close_code).await;
            None
        }
    }
}

async fn connection(mut socket: WebSocket, s: Signaling) {
    let Some((room, grant, resume)) = authenticate(&mut socket, &s).await else {
        return;
    };
    let Joined {
        participant,
        mut events,
        resumed,
        attachment,
    } = match s
        .sfu
        .join(&room, &grant.identity, &grant.display_name, resume)
        .await
    {
        Ok(joined) => joined,
        Err(e) => {
            tracing::error!(error = %e, %room, "join failed");
            refuse(
                &mut socket,
                "unavailable",
                &e.to_string(),
                close::UNAVAILABLE,
            )
            .await;
            return;
        }
    };
    if !resumed {
        s.observer.joined(&room, &grant.identity, (s.now)());
    }
    let others = participant
        .room()
        .participants()
        .into_iter()
        .filter(|p| p.identity() != grant.identity)
        .map(|p| view(p.info()));
    let joined = ServerMessage::Joined {
        version: VERSION,
        room: room.clone(),
        identity: grant.identity.clone(),
        legal_mode: grant.legal_mode,
        resumed,
        participants: others.collect(),
    };
    let (mut tx, mut rx) = socket.split();
    let _ = tx.send(text(&joined)).await;
    let mut strikes = 0;
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    let mut last_heard = tokio::time::Instant::now();
    let end = loop {
        tokio::select! {
            incoming = rx.next() => {
                last_heard = tokio::time::Instant::now();
                let handled = match incoming {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break End::Dropped,
                    Some(Ok(Message::Text(t))) => handle(&participant, &grant, &s, t.as_str()).await,
                    Some(Ok(Message::Binary(_))) => Err(Handled::Malformed(ServerMessage::error(
                        "bad_message",
                        "messages are JSON text frames",
                    ))),
                    Some(Ok(_)) => continue,
                };
                if let Some(end) = answer(&mut tx, None, handled, &mut strikes).await {
                    break end;
                }
            }
            event = events.recv() => {
                let Some(event) = event else { break End::Superseded };
                match event {
                    SfuEvent::Closed { reason } => {
                        let _ = tx.send(text(&ServerMessage::Bye { reason: reason.as_str().to_owned() })).await;
                        let code = if reason == LeaveReason::Replaced { close::REPLACED } else { close::NORMAL };
                        let _ = tx.send(Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from(reason.as_str().to_owned()) }))).await;
                        break End::Removed(reason);
                    }
                    SfuEvent::Data(frame) => {
                        let handled = handle_data(&participant, &grant, &s, frame).await;
                        if let Some(end) = answer(&mut tx, Some(&participant), handled, &mut strikes).await {
                            break end;
                        }
                    }
                    event => {
                        if let Some(m) = translate(event) {
                            let channel = on_data_channel(&m).then_some(&participant);
                            deliver(&mut tx, channel, &m).await;
                        }
                    }
                }
            }
            _ = keepalive.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT { break End::Dropped; }
                let _ = tx.send(Message::Ping(Default::default())).await;
            }
        }
    };
    let left = match end {
        End::Left => {
            participant.close(LeaveReason::Left).await;
            let _ = tx
                .send(text(&ServerMessage::Bye {
                    reason: "left".into(),
                }))
                .await;
            let _ = tx
                .send(Message::Close(Some(CloseFrame {
                    code: close::NORMAL,
                    reason: Utf8Bytes::from_static("left"),
                })))
                .await;
            Some("left")
        }
        End::Abusive => {
            participant.close(LeaveReason::Disconnected).await;
            Some("disconnected")
        }
        // The media may well still flow: wait for the client to come back.
        End::Dropped => participant
            .detach(s.resume_window, attachment)
            .await
            .then_some("disconnected"),
        // Another connection resumed this participant; it carries on.
        End::Superseded => None,
        End::Removed(reason) => Some(reason.as_str()),
    };
    if let Some(reason) = left {
        s.observer.left(&room, &grant.identity, reason, (s.now)());
    }
}

type WsSink = futures::stream::SplitSink<WebSocket, Message>;

/// Sends the answer to a handled message — over the data channel when it came from there
/// (`channel`) and that is open, else over the WebSocket — and counts malformed messages;
/// `Some` ends the connection.
async fn answer(
    tx: &mut WsSink,
    channel: Option<&Arc<Participant>>,
    handled: Result<Option<ServerMessage>, Handled>,
    strikes: &mut u32,
) -> Option<End> {
    let reply = match handled {
        Ok(None) => return None,
        Err(Handled::Leave) => return Some(End::Left),
        Ok(Some(reply)) | Err(Handled::Refused(reply)) => reply,
        Err(Handled::Malformed(reply)) => {
            *strikes += 1;
            reply
        }
    };
    deliver(tx, channel, &reply).await;
    if *strikes >= MAX_STRIKES {
        let _ = tx
            .send(text(&ServerMessage::error(
                "too_many_errors",
                "closing after repeated bad messages",
            )))
            .await;
        let _ = tx
            .send(Message::Close(Some(CloseFrame {
                code: close::PROTOCOL,
                reason: Utf8Bytes::from_static("too_many_errors"),
            })))
            .await;
        return Some(End::Abusive);
    }
    None
}

/// Sends `m` on `channel`'s data channel when given and open, else over the WebSocket.
async fn deliver(tx: &mut WsSink, channel: Option<&Arc<Participant>>, m: &ServerMessage) {
    let json = serde_json::to_string(m).expect("server messages serialize");
    if let Some(p) = channel {
        if p.send_data(&json).await {
            return;
        }
    }
    let _ = tx.send(Message::text(json)).await;
}

/// Messages that travel on the data channel once it is open (the rest stay on the WebSocket,
/// in order with the negotiation they belong to).
fn on_data_channel(m: &ServerMessage) -> bool {
    matches!(
        m,
        ServerMessage::Chat { .. } | ServerMessage::ActiveSpeaker { .. }
    )
}

/// A message from the participant's data channel: chat and ping only.
async fn handle_data(
    p: &Arc<Participant>,
    grant: &RoomGrant,
    s: &Signaling,
    frame: Option<String>,
) -> Result<Option<ServerMessage>, Handled> {
    let Some(frame) = frame else {
        return Err(Handled::Malformed(ServerMessage::error(
            "bad_message",
            "data channel messages are JSON text",
        )));
    };
    let message = parse(&frame)?;
    match message {
        ClientMessage::Chat { .. } | ClientMessage::Ping => {
            handle_message(p, grant, s, message).await
        }
        _ => Err(bad(
            "wrong_channel",
            "only chat and ping travel on the data channel; the rest goes over the WebSocket",
        )),
    }
}

/// How a signaling connection ended.
enum End {
    Left,
    Dropped,
    Abusive,
    Superseded,
    Removed(LeaveReason),
}

enum Handled {
    Leave,
    /// A frame that is not a message of ours: counts towards disconnection.
    Malformed(ServerMessage),
    /// A well-formed request refused: answered, never held against the connection.
    Refused(ServerMessage),
}

fn bad(code: &str, message: impl Into<String>) -> Handled {
    Handled::Refused(ServerMessage::error(code, message))
}

fn parse(frame: &str) -> Result<ClientMessage, Handled> {
    if frame.len() > MAX_MESSAGE_BYTES {
        return Err(Handled::Malformed(ServerMessage::error(
            "too_large",
            format!("messages are at most {MAX_MESSAGE_BYTES} bytes"),
        )));
    }
    serde_json::from_str(frame)
        .map_err(|e| Handled::Malformed(ServerMessage::error("bad_message", e.to_string())))
}

async fn handle(
    p: &Arc<Participant>,
    grant: &RoomGrant,
    s: &Signaling,
    frame: &str,
) -> Result<Option<ServerMessage>, Handled> {
    let message = parse(frame)?;
    handle_message(p, grant, s, message).await
}

async fn handle_message(
    p: &Arc<Participant>,
    grant: &RoomGrant,
    s: &Signaling,
    message: ClientMessage,
) -> Result<Option<ServerMessage>, Handled> {
    match message {
        ClientMessage::Join { .. } => {
            Err(bad("already_joined", "this connection has joined already"))
        }
        ClientMessage::PublishOffer { sdp } => {
            if !grant.can_publish {
                return Err(bad("forbidden", "this token may not publish"));
            }
            let answer = p
                .publish_offer(sdp)
                .await
                .map_err(|e| bad("sdp_rejected", e.to_string()))?;
            Ok(Some(ServerMessage::PublishAnswer { sdp: answer }))
        }
        ClientMessage::SubscribeAnswer { sdp } => {
            p.subscribe_answer(sdp)
                .await
                .map_err(|e| bad("sdp_rejected", e.to_string()))?;
            Ok(None)
        }
        ClientMessage::Candidate { target, candidate } => {
            let target = match target {
                Target::Publish => PeerTarget::Publish,
                Target::Subscribe => PeerTarget::Subscribe,
            };
            let init = RTCIceCandidateInit {
                candidate: candidate.candidate,
                sdp_mid: candidate.sdp_mid,
                sdp_mline_index: candidate.sdp_m_line_index,
                username_fragment: candidate.username_fragment,
                ..Default::default()
            };
            p.add_candidate(target, init)
                .await
                .map_err(|e| bad("bad_candidate", e.to_string()))?;
            Ok(None)
        }
        ClientMessage::Mute { kind, muted } => {
            p.set_muted(kind.as_str(), muted);
            Ok(None)
        }
        ClientMessage::Chat { text } => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 2000 {
                return Err(bad("bad_chat", "a chat message is 1 to 2000 characters"));
            }
            p.room().chat(p, text);
            Ok(None)
        }
        ClientMessage::Layer { track_id, quality } => {
            p.prefer(&track_id, quality)
                .await
                .map_err(|e| bad("unknown_track", e.to_string()))?;
            Ok(None)
        }
        ClientMessage::RestartIce => {
            p.restart_ice().await;
            Ok(None)
        }
        ClientMessage::Consent { given } => {
            if !grant.legal_mode {
                return Err(bad(
                    "not_legal_mode",
                    "this call is not recorded (Legal Mode is off)",
                ));
            }
            s.observer
                .consent(p.room().name(), &grant.identity, given, (s.now)());
            Ok(None)
        }
        ClientMessage::Mark { label } => {
            if !grant.legal_mode {
                return Err(bad(
                    "not_legal_mode",
                    "this call is not recorded (Legal Mode is off)",
                ));
            }
            let label = label.as_deref().map(str::trim).filter(|l| !l.is_empty());
            if label.is_some_and(|l| l.chars().count() > 200) {
                return Err(bad("bad_mark", "a mark's label is at most 200 characters"));
            }
            s.observer
                .mark(p.room().name(), &grant.identity, label, (s.now)());
            Ok(None)
        }
        ClientMessage::Ping => Ok(Some(ServerMessage::Pong)),
        ClientMessage::Leave => Err(Handled::Leave),
    }
}

fn view(info: tribuna_sfu::ParticipantInfo) -> ParticipantView {
    ParticipantView {
        identity: info.identity,
        display_name: info.display_name,
        tracks: info.tracks.into_iter().map(track_view).collect(),
    }
}

fn track_view(t: tribuna_sfu::TrackInfo) -> TrackView {
    TrackView {
        track_id: t.track_id,
        kind: t.kind,
        mime_type: t.mime_type,
    }
}

fn translate(event: SfuEvent) -> Option<ServerMessage> {
    Some(match event {
        SfuEvent::SubscribeOffer { sdp } => ServerMessage::SubscribeOffer { sdp },
        SfuEvent::ParticipantJoined(info) => ServerMessage::ParticipantJoined {
            participant: view(info),
        },
        SfuEvent::ParticipantLeft { identity, reason } => ServerMessage::ParticipantLeft {
            identity,
            reason: reason.as_str().to_owned(),
        },
        SfuEvent::TrackPublished { identity, track } => ServerMessage::TrackPublished {
            identity,
            track: track_view(track),
        },
        SfuEvent::TrackUnpublished { identity, track_id } => {
            ServerMessage::TrackUnpublished { identity, track_id }
        }
        SfuEvent::Muted {
            identity,
            kind,
            muted,
        } => ServerMessage::Muted {
            identity,
            kind,
            muted,
        },
        SfuEvent::Chat {
            identity,
            display_name,
            text,
            at,
        } => ServerMessage::Chat {
            from: identity,
            display_name,
            text,
            at: chrono::DateTime::<Utc>::from(at).to_rfc3339(),
        },
        SfuEvent::Recording { state, consents } => ServerMessage::Recording { state, consents },
        SfuEvent::Marked {
            identity,
            label,
            at,
            media_ms,
        } => ServerMessage::Marked {
            identity,
            label,
            at: chrono::DateTime::<Utc>::from(at).to_rfc3339(),
            media_ms,
        },
        SfuEvent::ActiveSpeaker { identity } => ServerMessage::ActiveSpeaker { identity },
        SfuEvent::Closed { .. } | SfuEvent::Data(_) => return None,
    })
}
