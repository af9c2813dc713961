//! Delivering messages to people: SMTP when configured, a log line in development.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// One message to one person.
pub struct Outgoing<'a> {
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// An iCalendar invitation to attach.
    pub ics: Option<&'a str>,
}

#[async_trait::async_trait]
pub trait Delivery: Send + Sync + 'static {
    async fn deliver(&self, message: Outgoing<'_>) -> Result<(), String>;
}

/// Development: the message is logged (recipient and subject), not sent.
pub struct LogDelivery;

#[async_trait::async_trait]
impl Delivery for LogDelivery {
    async fn deliver(&self, m: Outgoing<'_>) -> Result<(), String> {
        tracing::info!(
            to = m.to_email,
            subject = m.subject,
            "message delivered to the log (no SMTP configured)"
        );
        Ok(())
    }
}

pub struct SmtpDelivery {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpDelivery {
    /// `url` as lettre reads it, e.g. `smtp://user:pass@mail.example:587?tls=required`;
    /// `from` like `Tribuna <nao-responda@tribuna.example>`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("mail.smtp_url: {e}"))?
            .build();
        let from = from.parse().map_err(|e| format!("mail.from: {e}"))?;
        Ok(SmtpDelivery { transport, from })
    }
}

#[async_trait::async_trait]
impl Delivery for SmtpDelivery {
    async fn deliver(&self, m: Outgoing<'_>) -> Result<(), String> {
        let to = Mailbox::new(
            Some(m.to_name.to_owned()),
            m.to_email.parse().map_err(|e| format!("recipient: {e}"))?,
        );
        let text = SinglePart::plain(m.body.to_owned());
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject);
        let email = match m.ics {
            Some(ics) => {
                let calendar = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
                    .expect("static content type");
                let invite =
                    Attachment::new("convite.ics".to_owned()).body(ics.to_owned(), calendar);
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(invite))
            }
            None => builder.singlepart(text),
        }
        .map_err(|e| format!("building the message: {e}"))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}"))
    }
}
