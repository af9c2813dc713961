//! `.ics` for a session: a stable UID, SEQUENCE bumped on every change.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use super::lifecycle::SessionStatus;
use super::store::Session;

pub fn ics(session: &Session, public_url: &str) -> String {
    let cancelled = session.status() == SessionStatus::Cancelled;
    let event = Event::new()
        .uid(&format!("{}@tribuna", session.id))
        .sequence(session.revision.max(0) as u32)
        .summary(&format!(
            "Consulta: {} e {}",
            session.client_name, session.lawyer_name
        ))
        .description(&format!(
            "Entrar na consulta / Join: {public_url}/call/{}",
            session.id
        ))
        .starts(session.start)
        .ends(session.end)
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        })
        .append_property(
            Property::new("ORGANIZER", "mailto:nao-responda@tribuna.local")
                .add_parameter("CN", "Tribuna")
                .done(),
        )
        .done();
    let mut calendar = Calendar::new();
    calendar.append_property(("METHOD", if cancelled { "CANCEL" } else { "REQUEST" }));
    calendar.push(event);
    calendar.done().to_string()
}
