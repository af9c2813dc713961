//! Who is speaking in a room, from the audio level (RFC 6464) each microphone's packets carry
//! in a header extension: a pure function of what was heard, and when.
//!
//! A packet at most [`VOICE_LEVEL`] (its level is −dBov: 0 is the loudest, 127 silence)
//! carries voice. The active speaker is whoever had the most voiced packets in the last
//! [`WINDOW`]; they keep the floor while heard within [`HOLD`], and someone talking more takes
//! it only after they held it for [`MIN_TURN`], so two people talking over each other do not
//! make the highlight flicker. A muted participant is never the speaker.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// The quietest level (−dBov) that counts as voice (about 1 % of full scale).
pub const VOICE_LEVEL: u8 = 40;
/// How far back voiced packets are counted.
pub const WINDOW: Duration = Duration::from_millis(1000);
/// The speaker keeps the floor this long after last heard.
pub const HOLD: Duration = Duration::from_millis(1500);
/// Someone else takes the floor only after the speaker held it this long.
pub const MIN_TURN: Duration = Duration::from_millis(800);

/// Reads the level from an audio-level extension's payload (`V` bit and 7-bit level).
pub fn level_of_extension(payload: &[u8]) -> Option<u8> {
    payload.first().map(|b| b & 0x7f)
}

/// The id the offer gives the audio-level extension (`a=extmap:<id>[/<direction>] <uri>`).
pub fn audio_level_id(sdp: &str) -> Option<u8> {
    sdp.lines().find_map(|line| {
        let rest = line.trim_end().strip_prefix("a=extmap:")?;
        let (id, uri) = rest.split_once(' ')?;
        let id = id.split('/').next()?.parse().ok()?;
        (uri.split_whitespace().next() == Some(rtc::sdp::extmap::AUDIO_LEVEL_URI)).then_some(id)
    })
}

/// A room's speakers.
#[derive(Debug, Default)]
pub struct Speakers {
    /// When each participant's voiced packets of the last `WINDOW` arrived.
    voiced: HashMap<String, VecDeque<Instant>>,
    /// When each participant was last heard speaking.
    last_voiced: HashMap<String, Instant>,
    muted: HashSet<String>,
    current: Option<String>,
    since: Option<Instant>,
}

impl Speakers {
    /// One audio packet of `identity` at `level`.
    pub fn heard(&mut self, identity: &str, level: u8, now: Instant) {
        if level > VOICE_LEVEL || self.muted.contains(identity) {
            return;
        }
        self.voiced
            .entry(identity.to_owned())
            .or_default()
            .push_back(now);
        self.last_voiced.insert(identity.to_owned(), now);
    }

    /// `identity` muted (or unmuted) their microphone: while muted nothing of theirs counts.
    pub fn set_muted(&mut self, identity: &str, muted: bool) {
        if muted {
            self.muted.insert(identity.to_owned());
            self.voiced.remove(identity);
            self.last_voiced.remove(identity);
        } else {
            self.muted.remove(identity);
        }
    }

    /// `identity` left the room.
    pub fn forget(&mut self, identity: &str) {
        self.voiced.remove(identity);
        self.last_voiced.remove(identity);
        self.muted.remove(identity);
    }

    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Decides who speaks at `now`; `Some(new speaker)` when that changed (`Some(None)`: nobody).
    pub fn decide(&mut self, now: Instant) -> Option<Option<String>> {
        for times in self.voiced.values_mut() {
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) > WINDOW)
            {
                times.pop_front();
            }
        }
        self.voiced.retain(|_, times| !times.is_empty());
        let score = |id: &str| self.voiced.get(id).map_or(0, VecDeque::len);
        // The most voiced packets; ties go to the current speaker, then to the first name.
        let loudest = self
            .voiced
            .iter()
            .map(|(id, times)| (times.len(), self.current.as_deref() == Some(id), id))
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(a.2)))
            .map(|(_, _, id)| id.clone());
        let current_heard = self.current.as_deref().is_some_and(|c| {
            self.last_voiced
                .get(c)
                .is_some_and(|t| now.duration_since(*t) <= HOLD)
        });
        let held_long_enough = self
            .since
            .is_none_or(|since| now.duration_since(since) >= MIN_TURN);
        let next = match (&self.current, loudest) {
            (_, None) if current_heard => self.current.clone(),
            (_, None) => None,
            (None, Some(l)) => Some(l),
            (Some(c), Some(l)) if *c == l => Some(l),
            (Some(c), Some(l)) => {
                if !current_heard || (score(&l) > score(c) && held_long_enough) {
                    Some(l)
                } else {
                    Some(c.clone())
                }
            }
        };
        if next == self.current {
            return None;
        }
        self.current = next.clone();
        self.since = Some(now);
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOUD: u8 = 20;
    const QUIET: u8 = 127;

    /// `who` talk at `level` for `ms` (a packet every 20 ms) from `start`; the decisions made.
    fn talk(
        s: &mut Speakers,
        who: &[(&str, u8)],
        start: Instant,
        ms: u64,
    ) -> Vec<(u64, Option<String>)> {
        let mut changes = Vec::new();
        for t in (0..ms).step_by(20) {
            let now = start + Duration::from_millis(t);
            for (id, level) in who {
                s.heard(id, *level, now);
            }
            if let Some(c) = s.decide(now) {
                changes.push((t, c));
            }
        }
        changes
    }

    #[test]
    fn the_one_talking_gets_the_floor_at_once() {
        let mut s = Speakers::default();
        let t0 = Instant::now();
        let changes = talk(&mut s, &[("ana", LOUD), ("bruno", QUIET)], t0, 500);
        assert_eq!(changes, vec![(0, Some("ana".into()))]);
    }

    #[test]
    fn silence_and_muted_voices_never_speak() {
        let mut s = Speakers::default();
        let t0 = Instant::now();
        s.set_muted("ana", true);
        let changes = talk(&mut s, &[("ana", LOUD), ("bruno", 90)], t0, 2000);
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(s.current(), None);
    }

    #[test]
    fn the_floor_passes_when_the_other_talks_and_the_speaker_stops() {
        let mut s = Speakers::default();
        let t0 = Instant::now();
        talk(&mut s, &[("ana", LOUD), ("bruno", QUIET)], t0, 2000);
        let t1 = t0 + Duration::from_millis(2000);
        let changes = talk(&mut s, &[("ana", QUIET), ("bruno", LOUD)], t1, 3000);
        // Ana keeps the floor until Bruno's voiced packets of the last window outnumber
        // hers (about half a window), not at once, and not only after her hold ran out.
        assert_eq!(changes.len(), 1, "{changes:?}");
        let (at, who) = &changes[0];
        assert_eq!(who.as_deref(), Some("bruno"));
        assert!(*at < WINDOW.as_millis() as u64, "switched after {at} ms");
    }

    #[test]
    fn talking_over_each_other_does_not_flicker() {
        let mut s = Speakers::default();
        let t0 = Instant::now();
        let mut changes = talk(&mut s, &[("ana", LOUD)], t0, 1000);
        // Both talk, Bruno in every other packet: Ana talks more and keeps the floor.
        for t in (1000..5000u64).step_by(20) {
            let now = t0 + Duration::from_millis(t);
            s.heard("ana", LOUD, now);
            if (t / 20) % 2 == 0 {
                s.heard("bruno", LOUD, now);
            }
            if let Some(c) = s.decide(now) {
                changes.push((t, c));
            }
        }
        assert_eq!(changes, vec![(0, Some("ana".into()))]);
    }

    #[test]
    fn the_floor_empties_after_the_hold_and_when_the_speaker_leaves_or_mutes() {
        let mut s = Speakers::default();
        let t0 = Instant::now();
        talk(&mut s, &[("ana", LOUD)], t0, 500);
        let t1 = t0 + Duration::from_millis(500);
        let changes = talk(&mut s, &[("ana", QUIET)], t1, 3000);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].1, None);
        assert!(changes[0].0 >= HOLD.as_millis() as u64 - 500);

        let t2 = t1 + Duration::from_millis(3000);
        talk(&mut s, &[("ana", LOUD)], t2, 200);
        assert_eq!(s.current(), Some("ana"));
        s.forget("ana");
        assert_eq!(s.decide(t2 + Duration::from_millis(220)), Some(None));

        talk(
            &mut s,
            &[("bruno", LOUD)],
            t2 + Duration::from_millis(240),
            200,
        );
        assert_eq!(s.current(), Some("bruno"));
        s.set_muted("bruno", true);
        assert_eq!(s.decide(t2 + Duration::from_millis(460)), Some(None));
    }

    #[test]
    fn the_extension_id_is_read_from_the_offer() {
        let sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n\
            a=extmap:1/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on\r\n";
        assert_eq!(audio_level_id(sdp), Some(1));
        assert_eq!(audio_level_id("v=0\r\na=extmap:2 urn:x\r\n"), None);
    }

    #[test]
    fn the_level_is_the_low_seven_bits() {
        assert_eq!(level_of_extension(&[0x80 | 30]), Some(30));
        assert_eq!(level_of_extension(&[127]), Some(127));
        assert_eq!(level_of_extension(&[]), None);
    }
}
