//! Codecs, header extensions and interceptors for every peer connection.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use rtc::interceptor::{CongestionControlBuilder, Gcc, Registry, Slot, TwccSenderBuilder};
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::MediaEngine;
use rtc::rtp_transceiver::rtp_sender::{RTCRtpHeaderExtensionCapability, RtpCodecKind};

use crate::interceptors::{
    KeyframeRequests, SimulatedBandwidth, SimulatedLoss, KEYFRAME_REQUESTS_SLOT,
    SIMULATED_BANDWIDTH_SLOT, SIMULATED_LOSS_SLOT,
};
use crate::SfuError;

/// Where a subscriber's bandwidth estimate starts: every layer fits, until the feedback
/// says otherwise (GCC backs off from what actually arrives within a round trip or two).
const INITIAL_ESTIMATE_BPS: f64 = 3_000_000.0;
const MIN_ESTIMATE_BPS: f64 = 100_000.0;
const MAX_ESTIMATE_BPS: f64 = 50_000_000.0;

/// Negotiates the audio level of every microphone packet (RFC 6464): who speaks.
pub fn register_audio_level(engine: &mut MediaEngine) -> rtc::shared::error::Result<()> {
    engine.register_header_extension(
        RTCRtpHeaderExtensionCapability {
            uri: rtc::sdp::extmap::AUDIO_LEVEL_URI.to_owned(),
        },
        RtpCodecKind::Audio,
        None,
    )
}

/// The test doubles on a subscriber's link (none in production): one-in-N loss, and a
/// bandwidth cap (its bits/s, 0 for none), each with the count of packets they dropped.
#[derive(Default)]
pub(crate) struct SimulatedLink {
    pub loss: Option<(u32, Arc<AtomicU64>)>,
    pub cap: Option<(Arc<AtomicU64>, Arc<AtomicU64>)>,
}

/// Opus, VP8 (with RTX), H.264 and the browsers' other defaults; audio level on audio;
/// NACK (generator on publisher legs, responder with a send buffer on subscriber legs),
/// sender and receiver reports, TWCC feedback, simulcast's mid/rid extensions; and
/// keyframe requests delivered to us for relaying. With `estimate` (a subscribe connection),
/// also transport-wide sequence numbers on what we send and GCC over the feedback, whose
/// estimate is kept there (no pacer: the estimate picks simulcast layers instead).
pub fn engine_and_interceptors(
    link: SimulatedLink,
    estimate: Option<Arc<AtomicU64>>,
) -> Result<(MediaEngine, Registry), SfuError> {
    let mut engine = MediaEngine::default();
    engine.register_default_codecs().map_err(SfuError::webrtc)?;
    register_audio_level(&mut engine).map_err(SfuError::webrtc)?;
    let mut registry =
        register_default_interceptors(Registry::new(), &mut engine).map_err(SfuError::webrtc)?;
    registry = match estimate {
        Some(estimate) => registry
            .with(Slot::TwccSender, TwccSenderBuilder::new().build())
            .with(
                Slot::CongestionControl,
                CongestionControlBuilder::new(Gcc::new(
                    INITIAL_ESTIMATE_BPS,
                    MIN_ESTIMATE_BPS,
                    MAX_ESTIMATE_BPS,
                ))
                .build(),
            )
            .with(
                Slot::from(KEYFRAME_REQUESTS_SLOT),
                KeyframeRequests::with_estimate(estimate),
            ),
        None => registry.with(
            Slot::from(KEYFRAME_REQUESTS_SLOT),
            KeyframeRequests::default(),
        ),
    };
    if let Some((every, dropped)) = link.loss {
        registry = registry.with(
            Slot::from(SIMULATED_LOSS_SLOT),
            SimulatedLoss::new(every, dropped),
        );
    }
    if let Some((cap, dropped)) = link.cap {
        registry = registry.with(
            Slot::from(SIMULATED_BANDWIDTH_SLOT),
            SimulatedBandwidth::new(cap, dropped),
        );
    }
    Ok((engine, registry))
}
