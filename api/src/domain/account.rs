use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct UserId(pub Uuid);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Role {
    Client,
    Lawyer,
    Partner,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Client, Role::Lawyer, Role::Partner, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "CLIENT",
            Role::Lawyer => "LAWYER",
            Role::Partner => "PARTNER",
            Role::Admin => "ADMIN",
        }
    }

    /// Where the web client sends this role after login.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Client => "/client",
            Role::Lawyer => "/lawyer",
            Role::Partner => "/partner",
            Role::Admin => "/admin",
        }
    }

    /// Admins are made only by `tribuna admin create`, never by sign-up.
    pub fn may_self_register(self) -> bool {
        self != Role::Admin
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::new("role", format!("unknown role {s:?}")))
    }
}

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let email = raw.trim().to_lowercase();
        let bad = |m: &str| Err(DomainError::new("email", m.to_owned()));
        if email.is_empty() || email.len() > 254 {
            return bad("must be 1 to 254 characters");
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("must not contain spaces");
        }
        match email.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Email(email))
            }
            _ => bad("is not an email address"),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed; never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: String) -> Result<Self, DomainError> {
        let n = raw.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&n) {
            return Err(DomainError::new(
                "password",
                format!(
                    "must be {} to {} characters",
                    Self::MIN_CHARS,
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Password(raw))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name shown to other people: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim();
        let n = name.chars().count();
        if n == 0 || n > 100 {
            return Err(DomainError::new(
                "display_name",
                "must be 1 to 100 characters",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::new(
                "display_name",
                "must not contain control characters",
            ));
        }
        Ok(DisplayName(name.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why an admin did something: required for every admin action, kept in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let reason = raw.trim();
        let n = reason.chars().count();
        if !(3..=1000).contains(&n) {
            return Err(DomainError::new("reason", "must be 3 to 1000 characters"));
        }
        Ok(Reason(reason.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.com",
            "a@b",
            "a b@x.com",
            "a@@x.com",
            "a@x.com.",
            "a@.x",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_length_is_bounded_and_never_printed() {
        assert!(Password::parse("short".into()).is_err());
        assert!(Password::parse("x".repeat(257)).is_err());
        let p = Password::parse("correct horse battery".into()).unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Dra. Ana ").unwrap().as_str(),
            "Dra. Ana"
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"a".repeat(101)).is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
    }

    #[test]
    fn roles_round_trip_and_admin_cannot_self_register() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("client".parse::<Role>().is_err());
        assert!(!Role::Admin.may_self_register());
        assert!(Role::Lawyer.may_self_register());
    }
}
