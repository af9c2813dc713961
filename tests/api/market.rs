//! Helpers for marketplace tests: verified lawyers, paid payments, free slots.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Actor, TestApp};

/// Every day 07:00–22:00 in São Paulo, one-hour consultations, a week ahead.
pub fn open_week() -> Value {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    json!({
        "weekly": days.iter().map(|d| json!({"weekday": d, "start": "07:00", "end": "22:00"})).collect::<Vec<_>>(),
        "min_notice_minutes": 60,
        "booking_window_days": 14,
    })
}

pub fn profile(oab: &str, fee_cents: i64) -> Value {
    json!({
        "oab_number": oab, "oab_state": "SP", "areas": ["family", "civil"], "languages": ["pt-BR", "en"],
        "bio": "Direito de família.", "fee_cents": fee_cents, "consultation_minutes": 60, "time_zone": "America/Sao_Paulo",
    })
}

impl TestApp {
    /// A lawyer with a profile, open availability, verified by `admin`.
    pub async fn verified_lawyer(&self, admin: &Actor, oab: &str, fee_cents: i64) -> Actor {
        let lawyer = self.register("LAWYER").await;
        self.verified_lawyer_account(admin, lawyer, oab, fee_cents)
            .await
    }

    /// Onboards and verifies an existing lawyer account.
    pub async fn verified_lawyer_account(
        &self,
        admin: &Actor,
        lawyer: Actor,
        oab: &str,
        fee_cents: i64,
    ) -> Actor {
        let res = lawyer
            .send(
                reqwest::Method::PUT,
                "/api/lawyer/profile",
                Some(&profile(oab, fee_cents)),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{:?}", res.text().await);
        let res = lawyer
            .send(
                reqwest::Method::PUT,
                "/api/lawyer/availability",
                Some(&open_week()),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{:?}", res.text().await);
        let res = admin
            .post(
                &format!("/api/admin/lawyers/{}/verify", lawyer.id),
                &json!({"reason": "OAB checked on CNA"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        lawyer
    }

    /// The checkout request for `lawyer`, accepting the consultation terms `client` is shown.
    pub async fn checkout_body(&self, client: &Actor, lawyer: &Actor) -> Value {
        let terms = client
            .get(&format!("/api/lawyers/{}/consultation-terms", lawyer.id))
            .await;
        assert_eq!(terms.status(), StatusCode::OK);
        let terms: Value = terms.json().await.unwrap();
        json!({"lawyer_id": lawyer.id, "terms_sha256": terms["body_sha256"]})
    }

    /// Starts a checkout for `lawyer` as `client`; returns the checkout view.
    pub async fn checkout(&self, client: &Actor, lawyer: &Actor) -> Value {
        let body = self.checkout_body(client, lawyer).await;
        let res = client.post("/api/checkout/create-session", &body).await;
        assert!(res.status().is_success(), "{:?}", res.text().await);
        res.json().await.unwrap()
    }

    /// Submits the stand-in's checkout page with `outcome` (`paid`, `pending`, `declined`).
    pub async fn pay(&self, checkout_url: &str, outcome: &str) -> StatusCode {
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        no_redirects
            .post(format!("{checkout_url}/pay"))
            .form(&[("outcome", outcome)])
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn settle(&self, checkout_url: &str, outcome: &str) -> StatusCode {
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        no_redirects
            .post(format!("{checkout_url}/settle"))
            .form(&[("outcome", outcome)])
            .send()
            .await
            .unwrap()
            .status()
    }

    /// Waits (up to 10 s) until the payment's status is `status`, as seen by its client.
    pub async fn await_payment(&self, client: &Actor, payment_id: &str, status: &str) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let payment: Value = client
                .get(&format!("/api/payments/{payment_id}"))
                .await
                .json()
                .await
                .unwrap();
            if payment["status"] == status {
                return payment;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "payment never became {status}: {payment}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// A paid payment of `client` for `lawyer`; returns its id.
    pub async fn paid_payment(&self, client: &Actor, lawyer: &Actor) -> String {
        let checkout = self.checkout(client, lawyer).await;
        let url = checkout["checkout_url"].as_str().unwrap();
        assert_eq!(self.pay(url, "paid").await, StatusCode::SEE_OTHER);
        let id = checkout["payment_id"].as_str().unwrap().to_owned();
        self.await_payment(client, &id, "paid").await;
        id
    }

    /// The lawyer's free slot starts (as seen by anyone) for the next 14 days.
    pub async fn slots(&self, lawyer: &Actor) -> Vec<DateTime<Utc>> {
        self.slots_query(lawyer, "").await
    }

    /// Free slot starts in `[from, to)`.
    pub async fn slots_between(
        &self,
        lawyer: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let q = format!(
            "?from={}&to={}",
            from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        self.slots_query(lawyer, &q).await
    }

    async fn slots_query(&self, lawyer: &Actor, query: &str) -> Vec<DateTime<Utc>> {
        let list: Value = self
            .anonymous()
            .get(&format!("/api/lawyers/{}/slots{query}", lawyer.id))
            .await
            .json()
            .await
            .unwrap();
        list["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["start"].as_str().unwrap().parse().unwrap())
            .collect()
    }

    /// Books `start` with `payment_id`; returns the response.
    pub async fn book(
        &self,
        client: &Actor,
        payment_id: &str,
        start: DateTime<Utc>,
    ) -> reqwest::Response {
        self.book_with(client, payment_id, start, false).await
    }

    pub async fn book_with(
        &self,
        client: &Actor,
        payment_id: &str,
        start: DateTime<Utc>,
        legal_mode: bool,
    ) -> reqwest::Response {
        client
            .post(
                "/api/sessions/schedule",
                &json!({"payment_id": payment_id, "start": start, "legal_mode": legal_mode}),
            )
            .await
    }
}

impl TestApp {
    /// A session `client` paid for and booked at `lawyer`'s first free slot at least two days
    /// ahead of the app's clock: its id and start.
    pub async fn booked_session(&self, client: &Actor, lawyer: &Actor) -> (String, DateTime<Utc>) {
        self.booked_session_with(client, lawyer, false).await
    }

    /// Like `booked_session`, in Legal Mode when `legal_mode`.
    pub async fn booked_session_with(
        &self,
        client: &Actor,
        lawyer: &Actor,
        legal_mode: bool,
    ) -> (String, DateTime<Utc>) {
        let now = tribuna_api::Clock::now(&*self.clock);
        let slot = self
            .slots_between(
                lawyer,
                now + chrono::Duration::days(2),
                now + chrono::Duration::days(4),
            )
            .await[0];
        let payment = self.paid_payment(client, lawyer).await;
        let session: Value = self
            .book_with(client, &payment, slot, legal_mode)
            .await
            .json()
            .await
            .unwrap();
        (session["id"].as_str().unwrap().to_owned(), slot)
    }

    /// A paid session between `client` and `lawyer` that both attended and the worker completed.
    /// Leaves the clock just after the session (within the review window).
    pub async fn completed_session(&self, client: &Actor, lawyer: &Actor) -> String {
        let (id, slot) = self.booked_session(client, lawyer).await;
        let uuid = id.parse().unwrap();
        for who in [client.id, lawyer.id] {
            tribuna_api::scheduling::store::record_event(
                &self.db,
                uuid,
                Some(who),
                "joined",
                slot,
                json!({}),
            )
            .await
            .unwrap();
        }
        self.clock.set(slot + chrono::Duration::minutes(60 + 16));
        tribuna_api::scheduling::worker::tick(&self.state)
            .await
            .unwrap();
        let status: String = sqlx::query_scalar("SELECT status FROM legal_sessions WHERE id = $1")
            .bind(uuid)
            .fetch_one(&self.db)
            .await
            .unwrap();
        assert_eq!(status, "completed");
        id
    }
}
