//! Every route, as every kind of caller, with the status each must get.
//! A route in the OpenAPI document that is missing here fails the test, so
//! every new route has to join the matrix.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{unique_email, Actor, TestApp, PASSWORD};
use crate::market::{open_week, profile};

const CALLERS: [&str; 6] = [
    "anonymous",
    "client",
    "other client",
    "lawyer",
    "partner",
    "admin",
];

/// Whose id fills `{id}` in the path.
#[derive(Clone, Copy)]
enum Subject {
    None,
    /// The "client" caller's own account.
    Client,
    /// An account that is none of the callers.
    Bystander,
    /// The "lawyer" caller (verified, with open hours).
    Lawyer,
    /// A paid payment of the client's, for the lawyer, not yet used.
    Payment,
    /// A scheduled session between the client and the lawyer, days ahead.
    Session,
    /// A development room's name.
    DevRoom,
    /// The client's contact ticket.
    Ticket,
    /// The partner caller's invite (its id).
    Invite,
    /// The partner caller's invite (its code).
    InviteCode,
    /// The consultation terms the client accepted when paying for the session.
    Contract,
    /// A fee agreement template of the lawyer's.
    Template,
}

/// What a row's callers act on.
struct World {
    client_email: String,
    lawyer_id: Uuid,
    lawyer_oab: String,
    payment_id: String,
    free_slot: DateTime<Utc>,
    other_slot: DateTime<Utc>,
    /// The consultation terms the client is shown for the lawyer.
    terms_sha256: String,
    session_id: String,
    template_id: String,
    contract_id: Uuid,
}

struct Route {
    method: Method,
    template: &'static str,
    subject: Subject,
    body: fn(&World) -> Option<Value>,
    /// Expected status for each of `CALLERS`, in order.
    expect: [u16; 6],
}

const ADMIN_ONLY: [u16; 6] = [401, 403, 403, 403, 403, 200];
const LAWYER_ONLY: [u16; 6] = [401, 403, 403, 200, 403, 403];
const PUBLIC: [u16; 6] = [200; 6];

fn route(
    method: Method,
    template: &'static str,
    subject: Subject,
    body: fn(&World) -> Option<Value>,
    expect: [u16; 6],
) -> Route {
    Route {
        method,
        template,
        subject,
        body,
        expect,
    }
}

fn routes() -> Vec<Route> {
    use Method as M;
    use Subject as S;
    let none: fn(&World) -> Option<Value> = |_| None;
    let reason: fn(&World) -> Option<Value> = |_| Some(json!({"reason": "access matrix"}));
    vec![
        route(
            M::POST,
            "/api/auth/register",
            S::None,
            |_| {
                Some(
                    json!({"email": unique_email("m"), "password": PASSWORD, "display_name": "M", "role": "CLIENT"}),
                )
            },
            [201; 6],
        ),
        route(
            M::POST,
            "/api/auth/login",
            S::None,
            |w| Some(json!({"email": w.client_email, "password": PASSWORD})),
            [200; 6],
        ),
        route(
            M::POST,
            "/api/auth/logout",
            S::None,
            |_| Some(json!({})),
            [401, 204, 204, 204, 204, 204],
        ),
        route(
            M::GET,
            "/api/me",
            S::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        route(
            M::GET,
            "/api/users/{id}",
            S::Client,
            none,
            [401, 200, 404, 404, 404, 200],
        ),
        // Lawyers' own profile and hours.
        route(M::GET, "/api/lawyer/profile", S::None, none, LAWYER_ONLY),
        route(
            M::PUT,
            "/api/lawyer/profile",
            S::None,
            |w| Some(profile(&w.lawyer_oab, 20_000)),
            LAWYER_ONLY,
        ),
        route(
            M::GET,
            "/api/lawyer/availability",
            S::None,
            none,
            LAWYER_ONLY,
        ),
        route(
            M::PUT,
            "/api/lawyer/availability",
            S::None,
            |_| Some(open_week()),
            LAWYER_ONLY,
        ),
        // The public directory.
        route(M::GET, "/api/lawyers", S::None, none, PUBLIC),
        route(M::GET, "/api/lawyers/{id}", S::Lawyer, none, PUBLIC),
        route(M::GET, "/api/lawyers/{id}/slots", S::Lawyer, none, PUBLIC),
        route(M::GET, "/api/lawyers/{id}/rating", S::Lawyer, none, PUBLIC),
        // Payments. The webhook authenticates by signature only: unsigned is a 400 for anyone.
        // The client already holds a paid, unbooked payment for this lawyer: no second charge (409);
        // the other client sends the hash of the client's terms, not of the ones it was shown (409).
        route(
            M::POST,
            "/api/checkout/create-session",
            S::None,
            |w| Some(json!({"lawyer_id": w.lawyer_id, "terms_sha256": w.terms_sha256})),
            [401, 409, 409, 403, 403, 403],
        ),
        route(
            M::POST,
            "/api/webhooks/stripe",
            S::None,
            |_| Some(json!({"id": "evt_x"})),
            [400; 6],
        ),
        route(
            M::GET,
            "/api/payments",
            S::None,
            none,
            [401, 200, 200, 403, 403, 403],
        ),
        route(
            M::GET,
            "/api/payments/{id}",
            S::Payment,
            none,
            [401, 200, 404, 404, 404, 200],
        ),
        // Sessions. The other client cannot see or use the client's payment or session.
        route(
            M::POST,
            "/api/sessions/schedule",
            S::None,
            |w| Some(json!({"payment_id": w.payment_id, "start": w.free_slot})),
            [401, 201, 404, 403, 403, 403],
        ),
        route(
            M::GET,
            "/api/sessions",
            S::None,
            none,
            [401, 200, 200, 200, 403, 403],
        ),
        route(
            M::GET,
            "/api/sessions/{id}",
            S::Session,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        route(
            M::POST,
            "/api/sessions/{id}/reschedule",
            S::Session,
            |w| Some(json!({"start": w.other_slot})),
            [401, 200, 404, 403, 403, 403],
        ),
        // The lawyer's 409: the client cancelled the session a moment before.
        route(
            M::POST,
            "/api/sessions/{id}/cancel",
            S::Session,
            reason,
            [401, 200, 404, 409, 403, 403],
        ),
        // The parties get past authorization to "not open yet" (the session is days away).
        route(
            M::GET,
            "/api/sessions/{id}/join",
            S::Session,
            none,
            [401, 409, 404, 409, 403, 403],
        ),
        route(
            M::GET,
            "/api/sessions/{id}/calendar.ics",
            S::Session,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        // Reviews: the world's session is still scheduled, so its parties get past authorization to 409.
        route(
            M::POST,
            "/api/sessions/{id}/review",
            S::Session,
            |_| Some(json!({"rating": 5})),
            [401, 409, 404, 409, 403, 403],
        ),
        // No review has this id: the lawyer gets past authorization to 404.
        route(
            M::POST,
            "/api/reviews/{id}/reply",
            S::Bystander,
            |_| Some(json!({"text": "obrigado"})),
            [401, 403, 403, 404, 403, 403],
        ),
        route(M::GET, "/api/lawyers/{id}/reviews", S::Lawyer, none, PUBLIC),
        route(M::GET, "/api/admin/reviews", S::None, none, ADMIN_ONLY),
        route(
            M::POST,
            "/api/admin/reviews/{id}/hide",
            S::Bystander,
            |_| Some(json!({"reason": "abuse", "note": "matrix"})),
            [401, 403, 403, 403, 403, 404],
        ),
        route(
            M::POST,
            "/api/admin/reviews/{id}/restore",
            S::Bystander,
            |_| Some(json!({"note": "matrix"})),
            [401, 403, 403, 403, 403, 404],
        ),
        // Support. The world's ticket is the client's contact ticket; its session is still scheduled (too early).
        route(
            M::POST,
            "/api/support/tickets",
            S::None,
            |_| Some(json!({"subject": "Ajuda", "body": "matrix"})),
            [401, 201, 201, 201, 201, 201],
        ),
        route(
            M::GET,
            "/api/support/tickets",
            S::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        route(
            M::GET,
            "/api/support/tickets/{id}",
            S::Ticket,
            none,
            [401, 200, 404, 404, 404, 200],
        ),
        route(
            M::POST,
            "/api/sessions/{id}/no-show",
            S::Session,
            |_| Some(json!({"body": "matrix"})),
            [401, 409, 404, 409, 403, 403],
        ),
        route(M::GET, "/api/admin/support", S::None, none, ADMIN_ONLY),
        route(
            M::POST,
            "/api/admin/support/{id}/resolve",
            S::Ticket,
            |_| Some(json!({"outcome": "dismiss", "note": "matrix"})),
            ADMIN_ONLY,
        ),
        // Referrals and the ledger. The world's invite belongs to the partner caller.
        route(
            M::POST,
            "/api/partner/invites",
            S::None,
            |_| Some(json!({"kind": "client"})),
            [401, 403, 403, 403, 201, 403],
        ),
        route(
            M::GET,
            "/api/partner/invites",
            S::None,
            none,
            [401, 403, 403, 403, 200, 403],
        ),
        route(
            M::POST,
            "/api/partner/invites/{id}/revoke",
            S::Invite,
            |_| Some(json!({})),
            [401, 403, 403, 403, 200, 403],
        ),
        route(
            M::POST,
            "/api/invites/{code}/visit",
            S::InviteCode,
            |_| Some(json!({})),
            [201; 6],
        ),
        route(M::GET, "/api/lawyer/statement", S::None, none, LAWYER_ONLY),
        route(
            M::GET,
            "/api/partner/reports",
            S::None,
            none,
            [401, 403, 403, 403, 200, 403],
        ),
        route(
            M::GET,
            "/api/admin/commission-rules",
            S::None,
            none,
            ADMIN_ONLY,
        ),
        route(
            M::PUT,
            "/api/admin/commission-rules",
            S::None,
            |_| {
                Some(
                    json!({"client_service_fee_bps": 2000, "lawyer_flat_cents": 5000, "hold_days": 7}),
                )
            },
            ADMIN_ONLY,
        ),
        route(M::GET, "/api/admin/payouts", S::None, none, ADMIN_ONLY),
        // Nothing is approved yet: the admin gets past authorization to "nothing to pay".
        route(
            M::POST,
            "/api/admin/payouts",
            S::None,
            |w| Some(json!({"beneficiary_id": w.lawyer_id})),
            [401, 403, 403, 403, 403, 409],
        ),
        route(
            M::POST,
            "/api/admin/payouts/{id}/paid",
            S::Bystander,
            |_| Some(json!({"reference": "PIX 123"})),
            [401, 403, 403, 403, 403, 404],
        ),
        route(M::GET, "/api/admin/recordings", S::None, none, ADMIN_ONLY),
        // Recordings: a session's parties (and admins) list them; copies are asked for by
        // parties of a recording (a user's id is no recording: 404); bundles and requests are
        // admins' (a bundle without a reason is refused: 400).
        route(
            M::GET,
            "/api/sessions/{id}/recordings",
            S::Session,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        route(
            M::POST,
            "/api/recordings/{id}/requests",
            S::Bystander,
            |_| Some(json!({"note": "cópia"})),
            [401, 404, 404, 404, 404, 404],
        ),
        route(
            M::GET,
            "/api/admin/recording-requests",
            S::None,
            none,
            ADMIN_ONLY,
        ),
        route(
            M::POST,
            "/api/admin/recording-requests/{id}/refuse",
            S::Bystander,
            reason,
            [401, 403, 403, 403, 403, 404],
        ),
        route(
            M::GET,
            "/api/admin/recordings/{id}/bundle",
            S::Bystander,
            none,
            [401, 403, 403, 403, 403, 400],
        ),
        // Development rooms are off unless configured (the matrix runs with them off; see calls.rs).
        route(
            M::POST,
            "/api/dev/rooms/{room}/join",
            S::DevRoom,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        // Admin.
        route(M::GET, "/api/admin/users", S::None, none, ADMIN_ONLY),
        route(
            M::POST,
            "/api/admin/users/{id}/suspend",
            S::Bystander,
            reason,
            ADMIN_ONLY,
        ),
        route(
            M::POST,
            "/api/admin/users/{id}/restore",
            S::Bystander,
            reason,
            ADMIN_ONLY,
        ),
        route(M::GET, "/api/admin/lawyers", S::None, none, ADMIN_ONLY),
        route(
            M::POST,
            "/api/admin/lawyers/{id}/verify",
            S::Lawyer,
            reason,
            ADMIN_ONLY,
        ),
        route(
            M::POST,
            "/api/admin/lawyers/{id}/reject",
            S::Lawyer,
            reason,
            ADMIN_ONLY,
        ),
        route(M::GET, "/api/admin/audit", S::None, none, ADMIN_ONLY),
        route(M::GET, "/api/admin/audit/verify", S::None, none, ADMIN_ONLY),
        route(M::GET, "/api/admin/calls", S::None, none, ADMIN_ONLY),
        // Contracts. The world's contract is the client's consultation terms for the booked
        // session: active and following its session, so the parties' steps get past
        // authorization to 409; the world's session is not held yet, so no fee agreement.
        route(
            M::GET,
            "/api/lawyer/contract-templates",
            S::None,
            none,
            LAWYER_ONLY,
        ),
        route(
            M::POST,
            "/api/lawyer/contract-templates",
            S::None,
            |_| {
                Some(
                    json!({"kind": "fee_agreement", "title": "Honorários", "body": "Entre {{client_name}} e {{lawyer_name}}."}),
                )
            },
            [401, 403, 403, 201, 403, 403],
        ),
        route(
            M::PUT,
            "/api/lawyer/contract-templates/{id}",
            S::Template,
            |_| {
                Some(
                    json!({"title": "Honorários", "body": "Entre {{client_name}} e {{lawyer_name}}, v2."}),
                )
            },
            LAWYER_ONLY,
        ),
        route(
            M::DELETE,
            "/api/lawyer/contract-templates/{id}",
            S::Template,
            none,
            [401, 403, 403, 204, 403, 403],
        ),
        route(
            M::GET,
            "/api/lawyers/{id}/consultation-terms",
            S::Lawyer,
            none,
            [401, 200, 200, 403, 403, 403],
        ),
        route(
            M::GET,
            "/api/contracts",
            S::None,
            none,
            [401, 200, 200, 200, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts",
            S::None,
            |w| Some(json!({"template_id": w.template_id, "session_id": w.session_id})),
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::GET,
            "/api/contracts/{id}",
            S::Contract,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        route(
            M::PUT,
            "/api/contracts/{id}/draft",
            S::Contract,
            |_| Some(json!({"body": "Um texto novo, longo o bastante."})),
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/versions",
            S::Contract,
            none,
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/send",
            S::Contract,
            |_| Some(json!({})),
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/accept",
            S::Contract,
            |w| Some(json!({"version": 1, "body_sha256": w.terms_sha256})),
            [401, 409, 404, 403, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/decline",
            S::Contract,
            |w| Some(json!({"version": 1, "body_sha256": w.terms_sha256})),
            [401, 409, 404, 403, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/activate",
            S::Contract,
            none,
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/complete",
            S::Contract,
            none,
            [401, 403, 403, 409, 403, 403],
        ),
        route(
            M::POST,
            "/api/contracts/{id}/terminate",
            S::Contract,
            reason,
            [401, 409, 404, 409, 403, 403],
        ),
        route(
            M::GET,
            "/api/contracts/{id}/versions/{number}/pdf",
            S::Contract,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        route(
            M::GET,
            "/api/contracts/{id}/versions/{number}/text",
            S::Contract,
            none,
            [401, 200, 404, 200, 404, 200],
        ),
        route(M::GET, "/api/admin/contracts", S::None, none, ADMIN_ONLY),
    ]
}

/// Fresh callers and a world for one route, so one route's effect cannot leak into another.
async fn setup(app: &TestApp, row: usize) -> ([Actor; 6], World, Uuid, String, String) {
    let admin = app.admin().await;
    let oab = format!("{}", 90_000 + row);
    let lawyer = app.verified_lawyer(&admin, &oab, 20_000).await;
    let client = app.register("CLIENT").await;
    let now = Utc::now();
    let slots = app
        .slots_between(&lawyer, now + Duration::days(3), now + Duration::days(5))
        .await;
    let booked = app.paid_payment(&client, &lawyer).await;
    let session: Value = app
        .book(&client, &booked, slots[0])
        .await
        .json()
        .await
        .unwrap();
    let payment_id = app.paid_payment(&client, &lawyer).await;
    let ticket: Value = client
        .post(
            "/api/support/tickets",
            &json!({"subject": "Dúvida", "body": "matrix"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let terms = app.checkout_body(&client, &lawyer).await;
    let template: Value = lawyer
        .post(
            "/api/lawyer/contract-templates",
            &json!({"kind": "fee_agreement", "title": "Honorários", "body": "Entre {{client_name}} e {{lawyer_name}}."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let contract: Uuid = sqlx::query_scalar("SELECT id FROM contracts WHERE payment_id = $1::uuid")
        .bind(&booked)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let world = World {
        terms_sha256: terms["terms_sha256"].as_str().unwrap().to_owned(),
        session_id: session["id"].as_str().unwrap().to_owned(),
        template_id: template["id"].as_str().unwrap().to_owned(),
        contract_id: contract,
        client_email: client.email.clone(),
        lawyer_id: lawyer.id,
        lawyer_oab: oab,
        payment_id,
        free_slot: slots[2],
        other_slot: slots[4],
    };
    let callers = [
        app.anonymous(),
        client,
        app.register("CLIENT").await,
        lawyer,
        app.register("PARTNER").await,
        admin,
    ];
    let bystander = app.register("CLIENT").await.id;
    (
        callers,
        world,
        bystander,
        session["id"].as_str().unwrap().to_owned(),
        ticket["id"].as_str().unwrap().to_owned(),
    )
}

#[sqlx::test]
async fn every_route_answers_each_caller_as_the_matrix_says(db: PgPool) {
    // Hundreds of logins from 127.0.0.1 in a minute: above the per-address limit otherwise.
    let app = TestApp::spawn_with(db, |s| s.auth.login_attempts_per_minute = 10_000).await;
    let mut failures = Vec::new();
    for (row, route) in routes().into_iter().enumerate() {
        let (actors, world, bystander, session, ticket) = setup(&app, row).await;
        let invite: Value = actors[4]
            .post("/api/partner/invites", &json!({"kind": "client"}))
            .await
            .json()
            .await
            .unwrap();
        let id = match route.subject {
            Subject::None => String::new(),
            Subject::Client => actors[1].id.to_string(),
            Subject::Bystander => bystander.to_string(),
            Subject::Lawyer => world.lawyer_id.to_string(),
            Subject::Payment => world.payment_id.clone(),
            Subject::Session => session,
            Subject::DevRoom => "dev-matrix".to_owned(),
            Subject::Ticket => ticket.clone(),
            Subject::Invite => invite["id"].as_str().unwrap().to_owned(),
            Subject::InviteCode => invite["code"].as_str().unwrap().to_owned(),
            Subject::Contract => world.contract_id.to_string(),
            Subject::Template => world.template_id.clone(),
        };
        let path = route
            .template
            .replace("{id}", &id)
            .replace("{room}", &id)
            .replace("{code}", &id)
            .replace("{number}", "1");
        for (i, actor) in actors.iter().enumerate() {
            let body = (route.body)(&world);
            let got = actor
                .send(route.method.clone(), &path, body.as_ref())
                .await
                .status()
                .as_u16();
            if got != route.expect[i] {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {got}",
                    route.method, route.template, CALLERS[i], route.expect[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}

#[sqlx::test]
async fn the_matrix_covers_every_documented_route(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let doc: Value = app
        .anonymous()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let covered: BTreeSet<String> = routes()
        .iter()
        .map(|r| format!("{} {}", r.method, r.template))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the access matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that no longer exist: {stale:?}"
    );
}
