//! The SFU's statistics for admins (JSON) and Prometheus (gauges).

use std::sync::Arc;

use tribuna_api::LiveCalls;
use tribuna_sfu::Sfu;

pub struct Calls(pub Arc<Sfu>);

#[async_trait::async_trait]
impl LiveCalls for Calls {
    async fn snapshot(&self) -> serde_json::Value {
        let rooms = self.0.stats().await;
        metrics::gauge!("sfu_rooms").set(rooms.len() as f64);
        metrics::gauge!("sfu_participants")
            .set(rooms.iter().map(|r| r.participants.len()).sum::<usize>() as f64);
        metrics::gauge!("sfu_free_media_ports").set(self.0.free_ports() as f64);
        for room in &rooms {
            for p in &room.participants {
                let labels = [
                    ("room", room.room.clone()),
                    ("identity", p.identity.clone()),
                ];
                metrics::gauge!("sfu_participant_bitrate_in_kbps", &labels).set(p.bitrate_in_kbps);
                metrics::gauge!("sfu_participant_bitrate_out_kbps", &labels)
                    .set(p.bitrate_out_kbps);
                metrics::gauge!("sfu_participant_packets_lost", &labels)
                    .set((p.publish_link.packets_lost + p.subscribe_link.packets_lost) as f64);
                metrics::gauge!("sfu_participant_jitter_ms", &labels)
                    .set(p.publish_link.jitter_ms.max(p.subscribe_link.jitter_ms));
                if let Some(rtt) = p.subscribe_link.rtt_ms.or(p.publish_link.rtt_ms) {
                    metrics::gauge!("sfu_participant_rtt_ms", &labels).set(rtt);
                }
                let received: u64 = p.published.iter().map(|t| t.packets).sum();
                let sent: u64 = p.subscribed.iter().map(|t| t.packets).sum();
                metrics::gauge!("sfu_participant_packets_received", &labels).set(received as f64);
                metrics::gauge!("sfu_participant_packets_sent", &labels).set(sent as f64);
                if let Some(estimate) = p.bandwidth_estimate_kbps {
                    metrics::gauge!("sfu_participant_bandwidth_estimate_kbps", &labels)
                        .set(estimate);
                }
                for (t, layer) in p.subscribed.iter().filter_map(|t| Some((t, t.layer?))) {
                    let labels = [
                        ("room", room.room.clone()),
                        ("identity", p.identity.clone()),
                        ("track", t.track_id.clone()),
                    ];
                    metrics::gauge!("sfu_subscription_layer", &labels).set(f64::from(layer));
                }
            }
        }
        serde_json::to_value(&rooms).unwrap_or_default()
    }
}
