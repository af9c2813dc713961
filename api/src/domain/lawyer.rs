use std::str::FromStr;

use chrono_tz::Tz;

use super::DomainError;

/// The 27 federative units, where OAB sections register lawyers.
pub const UFS: [&str; 27] = [
    "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR",
    "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
];

/// Areas of practice a lawyer can list (stable codes; the web client translates them).
pub const PRACTICE_AREAS: [&str; 14] = [
    "civil",
    "criminal",
    "labor",
    "family",
    "consumer",
    "tax",
    "business",
    "social_security",
    "real_estate",
    "digital",
    "administrative",
    "environmental",
    "succession",
    "immigration",
];

/// An OAB registration: number (digits, optional letter suffix) and the section's UF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oab {
    number: String,
    state: String,
}

impl Oab {
    /// Accepts `123.456`, `123456`, `12345A`; the state is a UF like `SP`.
    pub fn parse(number: &str, state: &str) -> Result<Self, DomainError> {
        let number: String = number
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '-'))
            .collect::<String>()
            .to_uppercase();
        let (digits, suffix) = number.split_at(
            number
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .len(),
        );
        let valid = (1..=7).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && suffix.len() <= 1
            && !digits.trim_start_matches('0').is_empty();
        if !valid {
            return Err(DomainError::new(
                "oab_number",
                "an OAB number is 1 to 7 digits, optionally followed by one letter",
            ));
        }
        let state = state.trim().to_uppercase();
        if !UFS.contains(&state.as_str()) {
            return Err(DomainError::new(
                "oab_state",
                format!("{state:?} is not a Brazilian state (UF)"),
            ));
        }
        Ok(Oab { number, state })
    }
    pub fn number(&self) -> &str {
        &self.number
    }
    pub fn state(&self) -> &str {
        &self.state
    }
}

/// Money in centavos (BRL). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(i64);

impl Cents {
    /// A lawyer's fee: R$ 5,00 to R$ 100.000,00.
    pub fn fee(raw: i64) -> Result<Self, DomainError> {
        if !(500..=10_000_000).contains(&raw) {
            return Err(DomainError::new(
                "fee_cents",
                "the fee is between 500 and 10000000 centavos (R$ 5 to R$ 100.000)",
            ));
        }
        Ok(Cents(raw))
    }
    pub fn get(self) -> i64 {
        self.0
    }
}

/// The platform's service fee for a lawyer's fee: `basis_points` of it, at least `min`,
/// rounded half up to the centavo. Never part of the lawyer's fee.
pub fn service_fee(lawyer_fee: Cents, basis_points: u32, min: i64) -> i64 {
    let proportional = (lawyer_fee.0 * i64::from(basis_points) + 5_000) / 10_000;
    proportional.max(min)
}

pub fn consultation_minutes(raw: i32) -> Result<i32, DomainError> {
    if !(15..=240).contains(&raw) || raw % 5 != 0 {
        return Err(DomainError::new(
            "consultation_minutes",
            "a consultation lasts 15 to 240 minutes, in steps of 5",
        ));
    }
    Ok(raw)
}

/// An IANA time zone name, e.g. `America/Sao_Paulo`.
pub fn time_zone(raw: &str) -> Result<Tz, DomainError> {
    Tz::from_str(raw.trim())
        .map_err(|_| DomainError::new("time_zone", format!("{raw:?} is not an IANA time zone")))
}

pub fn practice_areas(raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut areas: Vec<String> = raw.iter().map(|a| a.trim().to_lowercase()).collect();
    areas.sort();
    areas.dedup();
    if areas.is_empty() || areas.len() > 8 {
        return Err(DomainError::new("areas", "list 1 to 8 areas of practice"));
    }
    if let Some(bad) = areas.iter().find(|a| !PRACTICE_AREAS.contains(&a.as_str())) {
        return Err(DomainError::new(
            "areas",
            format!("unknown area {bad:?}; known: {}", PRACTICE_AREAS.join(", ")),
        ));
    }
    Ok(areas)
}

/// Language tags like `pt-BR`, `en`, `es`.
pub fn languages(raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut langs: Vec<String> = raw.iter().map(|l| l.trim().to_owned()).collect();
    langs.dedup();
    let well_formed = |l: &str| {
        let mut parts = l.split('-');
        let lang = parts.next().unwrap_or("");
        let region = parts.next();
        lang.len() == 2
            && lang.chars().all(|c| c.is_ascii_lowercase())
            && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
            && parts.next().is_none()
    };
    if langs.is_empty() || langs.len() > 8 || !langs.iter().all(|l| well_formed(l)) {
        return Err(DomainError::new(
            "languages",
            "list 1 to 8 languages as tags like pt-BR, en, es",
        ));
    }
    Ok(langs)
}

pub fn bio(raw: &str) -> Result<String, DomainError> {
    let bio = raw.trim();
    if bio.chars().count() > 4000 {
        return Err(DomainError::new(
            "bio",
            "the bio is at most 4000 characters",
        ));
    }
    Ok(bio.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oab_numbers_are_normalised_and_checked() {
        let oab = Oab::parse("123.456", "sp").unwrap();
        assert_eq!((oab.number(), oab.state()), ("123456", "SP"));
        assert_eq!(Oab::parse("12345a", "RJ").unwrap().number(), "12345A");
        for (n, s) in [
            ("", "SP"),
            ("12345678", "SP"),
            ("12A3", "SP"),
            ("0000", "SP"),
            ("123456", "XX"),
            ("12345AB", "SP"),
        ] {
            assert!(Oab::parse(n, s).is_err(), "{n:?}/{s:?}");
        }
    }

    #[test]
    fn the_service_fee_is_separate_rounded_and_has_a_floor() {
        assert_eq!(service_fee(Cents::fee(20_000).unwrap(), 1000, 500), 2_000);
        assert_eq!(
            service_fee(Cents::fee(12_345).unwrap(), 1000, 500),
            1_235,
            "half up"
        );
        assert_eq!(
            service_fee(Cents::fee(1_000).unwrap(), 1000, 500),
            500,
            "floor"
        );
    }

    #[test]
    fn fees_lengths_zones_areas_and_languages_are_validated() {
        assert!(Cents::fee(499).is_err() && Cents::fee(500).is_ok());
        assert!(
            consultation_minutes(60).is_ok()
                && consultation_minutes(62).is_err()
                && consultation_minutes(10).is_err()
        );
        assert!(time_zone("America/Sao_Paulo").is_ok() && time_zone("Brasilia").is_err());
        assert_eq!(
            practice_areas(&["Family".into(), "civil".into(), "civil".into()]).unwrap(),
            ["civil", "family"]
        );
        assert!(practice_areas(&["astrology".into()]).is_err());
        assert!(languages(&["pt-BR".into(), "en".into()]).is_ok());
        assert!(languages(&["portuguese".into()]).is_err());
    }
}
