//! Templates of engagement terms: `{{placeholders}}` filled from the session and the
//! parties. Pure functions; a template is checked when it is saved, so filling it later
//! cannot fail on a name nobody knows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::DomainError;

/// What a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    /// Shown to a client before paying for a consultation, and accepted at checkout.
    ConsultationTerms,
    /// Contrato de honorários: sent by the lawyer after a session.
    FeeAgreement,
}

impl ContractKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractKind::ConsultationTerms => "consultation_terms",
            ContractKind::FeeAgreement => "fee_agreement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "consultation_terms" => Some(ContractKind::ConsultationTerms),
            "fee_agreement" => Some(ContractKind::FeeAgreement),
            _ => None,
        }
    }

    /// The placeholders a template of this kind may use. Consultation terms are accepted
    /// before a time is chosen, so they cannot name the session's date.
    pub fn placeholders(self) -> &'static [&'static str] {
        const COMMON: &[&str] = &[
            "client_name",
            "client_email",
            "lawyer_name",
            "lawyer_oab",
            "fee",
            "consultation_minutes",
            "date",
        ];
        const AFTER_SESSION: &[&str] = &[
            "client_name",
            "client_email",
            "lawyer_name",
            "lawyer_oab",
            "fee",
            "consultation_minutes",
            "date",
            "session_date",
        ];
        match self {
            ContractKind::ConsultationTerms => COMMON,
            ContractKind::FeeAgreement => AFTER_SESSION,
        }
    }
}

/// A document's or template's text: trimmed, 20 to 50 000 characters (as the database allows).
pub fn document_text(raw: &str) -> Result<&str, DomainError> {
    let text = raw.trim();
    let len = text.chars().count();
    if !(20..=50_000).contains(&len) {
        return Err(DomainError::new(
            "body",
            format!("must be 20 to 50000 characters, not {len}"),
        ));
    }
    Ok(text)
}

/// A document's or template's title: trimmed, 3 to 120 characters.
pub fn document_title(raw: &str) -> Result<String, DomainError> {
    let t = raw.trim();
    if !(3..=120).contains(&t.chars().count()) {
        return Err(DomainError::new("title", "must be 3 to 120 characters"));
    }
    Ok(t.to_owned())
}

/// A template's text, checked: every `{{name}}` is one its kind knows, and braces pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateText(String);

impl TemplateText {
    pub fn parse(kind: ContractKind, text: &str) -> Result<Self, DomainError> {
        let text = document_text(text)?;
        let known = kind.placeholders();
        let unknown: Vec<String> = pieces(text)
            .map_err(|at| {
                DomainError::new(
                    "body",
                    format!("a '{{{{' at character {at} is never closed with '}}}}'"),
                )
            })?
            .into_iter()
            .filter_map(|p| match p {
                Piece::Name(n) if !known.contains(&n) => Some(n.to_owned()),
                _ => None,
            })
            .collect();
        if !unknown.is_empty() {
            return Err(DomainError::new(
                "body",
                format!(
                    "unknown placeholder(s) {}; a {} may use {}",
                    unknown.join(", "),
                    kind.as_str(),
                    known.join(", ")
                ),
            ));
        }
        Ok(TemplateText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text with every placeholder replaced; a value missing from `values` (which
    /// `parse` makes impossible for a kind's own names) is left visible as `{{name}}`.
    pub fn fill(&self, values: &BTreeMap<&str, String>) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in pieces(&self.0).expect("parsed templates are well formed") {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Name(n) => match values.get(n) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push_str("{{");
                        out.push_str(n);
                        out.push_str("}}");
                    }
                },
            }
        }
        out
    }
}

enum Piece<'a> {
    Text(&'a str),
    Name(&'a str),
}

/// Splits text into literal runs and `{{ name }}` placeholders; Err(char offset) for an
/// unclosed `{{`.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, usize> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            let at = text.len() - rest.len() + open;
            return Err(text[..at].chars().count());
        };
        out.push(Piece::Name(after[..close].trim()));
        rest = &after[close + 2..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// The platform's consultation terms, used when a lawyer has written none.
pub const DEFAULT_CONSULTATION_TERMS: &str = "TERMOS DA CONSULTA JURÍDICA

Cliente: {{client_name}} ({{client_email}})
Advogado(a): {{lawyer_name}}, inscrito(a) na OAB sob o nº {{lawyer_oab}}

1. Objeto. Uma consulta jurídica por videochamada, com duração de até {{consultation_minutes}} minutos, agendada pelo Cliente na plataforma Tribuna.

2. Honorários. O valor da consulta é {{fee}}, pago antecipadamente pela plataforma. A taxa de serviço da Tribuna é cobrada à parte e aparece no recibo.

3. Alcance. A consulta é uma orientação sobre os fatos narrados pelo Cliente. Não inclui a propositura de ações, a elaboração de peças ou o acompanhamento de processos, que dependem de contrato de honorários próprio.

4. Sigilo. O(a) Advogado(a) guarda sigilo profissional sobre tudo o que for tratado, nos termos do Estatuto da Advocacia (Lei nº 8.906/1994).

5. Cancelamento. O Cliente pode cancelar ou remarcar com reembolso integral até 24 horas antes do horário agendado. Se o(a) Advogado(a) cancelar, o reembolso é integral a qualquer tempo.

6. Gravação. A consulta só é gravada no Modo Legal, com o consentimento de ambas as partes dado na própria chamada.

Aceito pelo Cliente em {{date}}.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("client_name", "Ana Souza".to_owned()),
            ("lawyer_name", "Dr. Bruno".to_owned()),
        ])
    }

    #[test]
    fn fills_known_placeholders_with_or_without_spaces() {
        let t = TemplateText::parse(
            ContractKind::FeeAgreement,
            "Entre {{client_name}} e {{ lawyer_name }}, fica acordado.",
        )
        .unwrap();
        assert_eq!(
            t.fill(&values()),
            "Entre Ana Souza e Dr. Bruno, fica acordado."
        );
    }

    #[test]
    fn unknown_placeholders_are_named() {
        let e = TemplateText::parse(
            ContractKind::FeeAgreement,
            "Olá {{cliente}} e {{client_name}} e {{valor}}.",
        )
        .unwrap_err();
        assert!(e.to_string().contains("cliente, valor"), "{e}");
    }

    #[test]
    fn consultation_terms_cannot_name_the_session_date() {
        let text = "A consulta será em {{session_date}} às horas combinadas.";
        assert!(TemplateText::parse(ContractKind::ConsultationTerms, text).is_err());
        assert!(TemplateText::parse(ContractKind::FeeAgreement, text).is_ok());
    }

    #[test]
    fn an_unclosed_brace_is_refused_with_its_position() {
        let e = TemplateText::parse(
            ContractKind::FeeAgreement,
            "Texto longo o bastante {{client_name sem fechar",
        )
        .unwrap_err();
        assert!(e.to_string().contains("character 23"), "{e}");
    }

    #[test]
    fn too_short_a_text_is_refused() {
        assert!(TemplateText::parse(ContractKind::FeeAgreement, "   curto   ").is_err());
    }

    #[test]
    fn the_default_terms_parse() {
        let t = TemplateText::parse(ContractKind::ConsultationTerms, DEFAULT_CONSULTATION_TERMS)
            .unwrap();
        let filled = t.fill(&values());
        assert!(filled.contains("Cliente: Ana Souza"));
    }
}
