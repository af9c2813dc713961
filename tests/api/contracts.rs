//! Contracts: consultation terms accepted at checkout, fee agreements through their
//! lifecycle, the refused steps, the evidence in the audit log, and the PDFs.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::helpers::{error_code, Actor, TestApp};

const FEE_AGREEMENT: &str = "CONTRATO DE HONORÁRIOS ADVOCATÍCIOS

Contratante: {{client_name}} ({{client_email}})
Contratado(a): {{lawyer_name}}, OAB {{lawyer_oab}}

1. Objeto: acompanhamento do caso tratado na consulta de {{session_date}}.
2. Honorários: parcela inicial de R$ 3.000,00 e 10% do proveito econômico.
Assinado eletronicamente em {{date}}.";

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The text `pdftotext` reads from a PDF (Debian's poppler-utils).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("tribuna-pdf-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).unwrap()
}

async fn json_ok(res: reqwest::Response, status: StatusCode) -> Value {
    let got = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn audit_entries(
    db: &PgPool,
    action: &str,
    contract: &str,
) -> Vec<(Option<uuid::Uuid>, Value)> {
    sqlx::query_as(
        "SELECT actor_id, details FROM audit_log WHERE action = $1 AND subject_kind = 'contract' AND subject_id = $2 ORDER BY seq",
    )
    .bind(action)
    .bind(contract)
    .fetch_all(db)
    .await
    .unwrap()
}

/// `lawyer` saves a template of `kind`.
async fn save_template(lawyer: &Actor, kind: &str, title: &str, body: &str) -> reqwest::Response {
    lawyer
        .post(
            "/api/lawyer/contract-templates",
            &json!({"kind": kind, "title": title, "body": body}),
        )
        .await
}

impl TestApp {
    async fn fee_template(&self, lawyer: &Actor) -> String {
        let t = json_ok(
            save_template(
                lawyer,
                "fee_agreement",
                "Contrato de honorários",
                FEE_AGREEMENT,
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        t["id"].as_str().unwrap().to_owned()
    }

    /// A fee agreement drafted from a new template after the held `session`: its detail.
    async fn fee_agreement_draft(&self, lawyer: &Actor, session: &str) -> Value {
        let template = self.fee_template(lawyer).await;
        json_ok(
            lawyer
                .post(
                    "/api/contracts",
                    &json!({"template_id": template, "session_id": session}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await
    }

    /// A fee agreement drafted after a held session and sent; returns (contract id, detail).
    async fn sent_fee_agreement(
        &self,
        client: &Actor,
        lawyer: &Actor,
        days: i64,
    ) -> (String, Value) {
        // Paying needs the real time (the Stripe stand-in checks checkout expiries against it).
        self.clock.set(chrono::Utc::now());
        let session = self.completed_session(client, lawyer).await;
        let draft = self.fee_agreement_draft(lawyer, &session).await;
        let id = draft["contract"]["id"].as_str().unwrap().to_owned();
        let sent = json_ok(
            lawyer
                .post(
                    &format!("/api/contracts/{id}/send"),
                    &json!({"expires_in_days": days}),
                )
                .await,
            StatusCode::OK,
        )
        .await;
        (id, sent)
    }
}

#[sqlx::test]
async fn consultation_terms_are_accepted_at_checkout_with_evidence_and_follow_the_session(
    db: PgPool,
) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4101", 20_000).await;
    let client = app.register("CLIENT").await;

    // Without terms of their own, the platform's apply, filled for this client and lawyer.
    let terms = json_ok(
        client
            .get(&format!("/api/lawyers/{}/consultation-terms", lawyer.id))
            .await,
        StatusCode::OK,
    )
    .await;
    let body = terms["body"].as_str().unwrap();
    assert!(body.contains("Cliente: Test CLIENT"), "{body}");
    assert!(body.contains("OAB sob o nº 4101/SP"), "{body}");
    assert!(body.contains("R$ 200,00"), "{body}");
    assert_eq!(terms["body_sha256"], sha256(body.as_bytes()));

    // Paying with another text's hash, or none, is refused and nothing is created.
    let stale = client
        .post(
            "/api/checkout/create-session",
            &json!({"lawyer_id": lawyer.id, "terms_sha256": "00".repeat(32)}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(stale).await, "terms_changed");
    let missing = client
        .post(
            "/api/checkout/create-session",
            &json!({"lawyer_id": lawyer.id}),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (payments, contracts): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM contracts)")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((payments, contracts), (0, 0));

    // The lawyer's own terms replace the platform's; the client sees them.
    let own = "Termos do escritório para {{client_name}}: consulta de {{consultation_minutes}} minutos por {{fee}}.";
    json_ok(
        save_template(&lawyer, "consultation_terms", "Termos do escritório", own).await,
        StatusCode::CREATED,
    )
    .await;
    let second = save_template(&lawyer, "consultation_terms", "Outros termos", own).await;
    assert_eq!(error_code(second).await, "consultation_terms_exist");
    let body = app.checkout_body(&client, &lawyer).await;
    let checkout = json_ok(
        client.post("/api/checkout/create-session", &body).await,
        StatusCode::CREATED,
    )
    .await;

    let list = json_ok(client.get("/api/contracts").await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let c = &list[0];
    assert_eq!(
        (
            c["kind"].as_str(),
            c["status"].as_str(),
            c["title"].as_str()
        ),
        (
            Some("consultation_terms"),
            Some("accepted"),
            Some("Termos do escritório")
        )
    );
    let id = c["id"].as_str().unwrap().to_owned();
    let detail = json_ok(
        client.get(&format!("/api/contracts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let version = &detail["versions"][0];
    assert_eq!(
        version["body"],
        "Termos do escritório para Test CLIENT: consulta de 60 minutos por R$ 200,00."
    );
    assert_eq!(version["body_sha256"], body["terms_sha256"]);
    assert_eq!(detail["answer"]["answer"], "accepted");
    assert_eq!(detail["answer"]["ip"], "127.0.0.1");

    // The audit log has who, when, from where, and the hash of the exact text.
    let entries = audit_entries(&db, "contract.accepted", &id).await;
    assert_eq!(entries.len(), 1);
    let (actor, details) = &entries[0];
    assert_eq!(*actor, Some(client.id));
    assert_eq!(details["body_sha256"], body["terms_sha256"]);
    assert_eq!(details["ip"], "127.0.0.1");
    assert_eq!(details["version"], 1);

    // Paid and booked: the terms are active; the session held: completed.
    app.pay(checkout["checkout_url"].as_str().unwrap(), "paid")
        .await;
    let payment = checkout["payment_id"].as_str().unwrap();
    app.await_payment(&client, payment, "paid").await;
    let status = |db: PgPool, id: String| async move {
        sqlx::query_scalar::<_, String>("SELECT status FROM contracts WHERE id = $1::uuid")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap()
    };
    assert_eq!(status(db.clone(), id.clone()).await, "accepted");
    let now = chrono::Utc::now();
    let slot = app
        .slots_between(
            &lawyer,
            now + chrono::Duration::days(3),
            now + chrono::Duration::days(5),
        )
        .await[0];
    let session: Value = app.book(&client, payment, slot).await.json().await.unwrap();
    assert_eq!(status(db.clone(), id.clone()).await, "active");
    let linked: Option<uuid::Uuid> =
        sqlx::query_scalar("SELECT session_id FROM contracts WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        linked.map(|u| u.to_string()),
        session["id"].as_str().map(str::to_owned)
    );
    // A client cancelling ends them.
    let cancelled = client
        .post(
            &format!("/api/sessions/{}/cancel", session["id"].as_str().unwrap()),
            &json!({"reason": "mudança de planos"}),
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(status(db.clone(), id.clone()).await, "terminated");

    // A held session completes its terms (completed_session pays with the current terms).
    app.completed_session(&client, &lawyer).await;
    let completed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM contracts WHERE kind = 'consultation_terms' AND status = 'completed'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(completed, 1);
}

#[sqlx::test]
async fn a_fee_agreement_goes_from_draft_to_completed_and_its_pdf_shows_the_accepted_hash(
    db: PgPool,
) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4102", 20_000).await;
    let client = app.register("CLIENT").await;
    let session = app.completed_session(&client, &lawyer).await;
    let draft = app.fee_agreement_draft(&lawyer, &session).await;
    assert_eq!(draft["contract"]["status"], "draft");
    let id = draft["contract"]["id"].as_str().unwrap().to_owned();
    let filled = draft["versions"][0]["body"].as_str().unwrap();
    assert!(filled.contains("Contratante: Test CLIENT"), "{filled}");
    assert!(filled.contains("OAB 4102/SP"), "{filled}");
    assert!(!filled.contains("{{"), "{filled}");
    // A draft is the lawyer's own: the client neither lists nor reads it (the client's
    // list holds only the consultation terms of the session).
    let listed = json_ok(client.get("/api/contracts").await, StatusCode::OK).await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] == "consultation_terms"),
        "{listed}"
    );
    assert_eq!(
        client.get(&format!("/api/contracts/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // The lawyer edits the draft, then sends it.
    let text = format!("{filled}\n3. Foro: comarca de São Paulo.");
    json_ok(
        lawyer
            .send(
                Method::PUT,
                &format!("/api/contracts/{id}/draft"),
                Some(&json!({"title": "Honorários — ação trabalhista", "body": text})),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let sent = json_ok(
        lawyer
            .post(&format!("/api/contracts/{id}/send"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sent["contract"]["status"], "sent");
    let v1 = &sent["versions"][0];
    let hash = v1["body_sha256"].as_str().unwrap().to_owned();
    assert_eq!(hash, sha256(text.as_bytes()));

    // A sent version never changes.
    let edit = lawyer
        .send(
            Method::PUT,
            &format!("/api/contracts/{id}/draft"),
            Some(&json!({"body": "Outro texto, longo o bastante."})),
        )
        .await;
    assert_eq!(edit.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(edit).await, "version_sent");
    // Nor can it be accepted before the client answers... by the lawyer.
    let by_lawyer = lawyer
        .post(
            &format!("/api/contracts/{id}/accept"),
            &json!({"version": 1, "body_sha256": hash}),
        )
        .await;
    assert_eq!(by_lawyer.status(), StatusCode::FORBIDDEN);
    let early = lawyer
        .post(&format!("/api/contracts/{id}/activate"), &json!({}))
        .await;
    assert_eq!(error_code(early).await, "contract_status");

    // The client reads the PDF: it is the stored file, and it shows the text and its hash.
    let pdf = client
        .get(&format!("/api/contracts/{id}/versions/1/pdf"))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap().to_vec();
    assert_eq!(Some(sha256(&pdf).as_str()), v1["pdf_sha256"].as_str());
    let shown = pdf_text(&pdf);
    assert!(shown.contains(&hash), "{shown}");
    assert!(shown.contains("Honorários — ação trabalhista"), "{shown}");
    assert!(shown.contains("Foro: comarca de São Paulo"), "{shown}");
    let plain = client
        .get(&format!("/api/contracts/{id}/versions/1/text"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(sha256(&plain), hash);

    let accepted = json_ok(
        client
            .post(
                &format!("/api/contracts/{id}/accept"),
                &json!({"version": 1, "body_sha256": hash}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["contract"]["status"], "accepted");

    // The hash in the audit log is the SHA-256 of the stored PDF's source text.
    let entries = audit_entries(&db, "contract.accepted", &id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, Some(client.id));
    let stored_text = app
        .state
        .services
        .blobs
        .get(&format!("contracts/{id}/v1.txt"))
        .await
        .unwrap();
    assert_eq!(entries[0].1["body_sha256"], sha256(&stored_text));
    let stored_pdf = app
        .state
        .services
        .blobs
        .get(&format!("contracts/{id}/v1.pdf"))
        .await
        .unwrap();
    assert!(pdf_text(&stored_pdf).contains(&sha256(&stored_text)));

    for (step, status) in [("activate", "active"), ("complete", "completed")] {
        let r = json_ok(
            lawyer
                .post(&format!("/api/contracts/{id}/{step}"), &json!({}))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(r["contract"]["status"], status);
    }
    let after = client
        .post(
            &format!("/api/contracts/{id}/terminate"),
            &json!({"reason": "tarde demais"}),
        )
        .await;
    assert_eq!(after.status(), StatusCode::CONFLICT);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE subject_kind = 'contract' AND subject_id = $1 ORDER BY seq",
    )
    .bind(&id)
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "contract.drafted",
            "contract.sent",
            "contract.accepted",
            "contract.activated",
            "contract.completed"
        ]
    );

    // Admins list and read it; their download is audited. Another client and another
    // lawyer are told it does not exist.
    let all = json_ok(
        admin.get("/api/admin/contracts?status=completed").await,
        StatusCode::OK,
    )
    .await;
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id.as_str()));
    assert_eq!(
        admin
            .get(&format!("/api/contracts/{id}/versions/1/pdf"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        audit_entries(&db, "contract.read_by_admin", &id)
            .await
            .len(),
        1
    );
    // Reading the versions' text on the contract's page is audited too.
    assert_eq!(
        admin.get(&format!("/api/contracts/{id}")).await.status(),
        StatusCode::OK
    );
    let reads = audit_entries(&db, "contract.read_by_admin", &id).await;
    assert_eq!(
        reads
            .iter()
            .map(|(_, d)| d["version"].clone())
            .collect::<Vec<_>>(),
        [json!(1), Value::Null]
    );
    let other_client = app.register("CLIENT").await;
    let other_lawyer = app.verified_lawyer(&admin, "4103", 20_000).await;
    for outsider in [&other_client, &other_lawyer] {
        for path in [
            format!("/api/contracts/{id}"),
            format!("/api/contracts/{id}/versions/1/pdf"),
            format!("/api/contracts/{id}/versions/1/text"),
        ] {
            assert_eq!(
                outsider.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
    assert_eq!(
        other_lawyer
            .post(
                &format!("/api/contracts/{id}/terminate"),
                &json!({"reason": "não é meu"})
            )
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test]
async fn superseded_changed_expired_and_answered_versions_are_refused(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4104", 20_000).await;
    let client = app.register("CLIENT").await;
    // A declined contract cannot be accepted afterwards.
    let (id, sent) = app.sent_fee_agreement(&client, &lawyer, 7).await;
    let answer = |version: i32, hash: &str| json!({"version": version, "body_sha256": hash});
    let hash = sent["versions"][0]["body_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let declined = json_ok(
        client
            .post(
                &format!("/api/contracts/{id}/decline"),
                &json!({"version": 1, "body_sha256": hash, "reason": "valor alto"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined["contract"]["status"], "declined");
    let r = client
        .post(&format!("/api/contracts/{id}/accept"), &answer(1, &hash))
        .await;
    assert_eq!(error_code(r).await, "contract_not_answerable");
    let declines = audit_entries(&db, "contract.declined", &id).await;
    assert_eq!(declines.len(), 1);
    assert_eq!(declines[0].1["body_sha256"], hash.as_str());

    let (id, sent) = app.sent_fee_agreement(&client, &lawyer, 3).await;
    let v1_hash = sent["versions"][0]["body_sha256"]
        .as_str()
        .unwrap()
        .to_owned();

    // Version 2: a copy of 1, edited, sent; version 1 is superseded.
    let next = json_ok(
        lawyer
            .post(&format!("/api/contracts/{id}/versions"), &json!({}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(next["versions"][1]["body"], sent["versions"][0]["body"]);
    let again = lawyer
        .post(&format!("/api/contracts/{id}/versions"), &json!({}))
        .await;
    assert_eq!(error_code(again).await, "draft_exists");
    let v2_text = "Versão revista: honorários de R$ 2.500,00 em duas parcelas.";
    json_ok(
        lawyer
            .send(
                Method::PUT,
                &format!("/api/contracts/{id}/draft"),
                Some(&json!({"body": v2_text})),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // The client does not see the unsent version 2 yet.
    let seen = json_ok(
        client.get(&format!("/api/contracts/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["versions"].as_array().unwrap().len(), 1);
    let sent2 = json_ok(
        lawyer
            .post(
                &format!("/api/contracts/{id}/send"),
                &json!({"expires_in_days": 2}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(sent2["versions"][0]["superseded_at"].is_string());
    let v2_hash = sha256(v2_text.as_bytes());

    let answer = |version: i32, hash: &str| json!({"version": version, "body_sha256": hash});
    let r = client
        .post(&format!("/api/contracts/{id}/accept"), &answer(1, &v1_hash))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(r).await, "version_superseded");
    let r = client
        .post(&format!("/api/contracts/{id}/accept"), &answer(2, &v1_hash))
        .await;
    assert_eq!(error_code(r).await, "text_changed");
    let r = client
        .post(&format!("/api/contracts/{id}/accept"), &answer(3, &v2_hash))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = client
        .post(
            &format!("/api/contracts/{id}/terminate"),
            &json!({"reason": "não quero"}),
        )
        .await;
    assert_eq!(error_code(r).await, "decline_instead");

    // Past its two days version 2 has expired: it shows as expired, cannot be accepted, and the
    // worker records the expiry once.
    let expiry: chrono::DateTime<chrono::Utc> = sent2["versions"][1]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.clock.set(expiry + chrono::Duration::minutes(1));
    let list = json_ok(client.get("/api/contracts").await, StatusCode::OK).await;
    let shown = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert_eq!(shown["status"], "expired");
    let r = client
        .post(&format!("/api/contracts/{id}/accept"), &answer(2, &v2_hash))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(r).await, "version_expired");
    let first = tribuna_api::scheduling::worker::tick(&app.state)
        .await
        .unwrap();
    let second = tribuna_api::scheduling::worker::tick(&app.state)
        .await
        .unwrap();
    assert_eq!((first.contracts_expired, second.contracts_expired), (1, 0));
    assert_eq!(audit_entries(&db, "contract.expired", &id).await.len(), 1);
    let r = lawyer
        .post(&format!("/api/contracts/{id}/versions"), &json!({}))
        .await;
    assert_eq!(error_code(r).await, "contract_status");
    assert_eq!(
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM contract_answers WHERE contract_id = $1::uuid"
        )
        .bind(&id)
        .fetch_one(&db)
        .await
        .unwrap(),
        0
    );
}

#[sqlx::test]
async fn templates_and_fee_agreements_refuse_what_does_not_fit(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4105", 20_000).await;
    let other_lawyer = app.verified_lawyer(&admin, "4106", 20_000).await;
    let client = app.register("CLIENT").await;

    let bad = save_template(
        &lawyer,
        "consultation_terms",
        "Termos",
        "Consulta em {{session_date}} para {{cliente}}.",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = bad.json::<Value>().await.unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("session_date, cliente"), "{message}");

    // A fee agreement follows a held session of the lawyer's own.
    let template = app.fee_template(&lawyer).await;
    let (scheduled, _) = app.booked_session(&client, &lawyer).await;
    let r = lawyer
        .post(
            "/api/contracts",
            &json!({"template_id": template, "session_id": scheduled}),
        )
        .await;
    assert_eq!(error_code(r).await, "session_not_held");
    let others = app.fee_template(&other_lawyer).await;
    let r = other_lawyer
        .post(
            "/api/contracts",
            &json!({"template_id": others, "session_id": scheduled}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = other_lawyer
        .send(
            Method::PUT,
            &format!("/api/lawyer/contract-templates/{template}"),
            Some(&json!({"title": "Meu agora", "body": FEE_AGREEMENT})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM contracts WHERE kind = 'fee_agreement'")
            .fetch_one(&db)
            .await
            .unwrap(),
        0
    );
}

#[sqlx::test]
async fn documents_live_in_s3_and_a_store_that_is_down_sends_nothing(db: PgPool) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s3 = tribuna_recorder::store::S3Settings {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: "us-east-1".into(),
        bucket: "tribuna-documents".into(),
        access_key: "test".into(),
        secret_key: "test".into(),
    };
    let server = crate::helpers::moto(port, &s3).await;
    let app = TestApp::spawn_with(db.clone(), |s| {
        s.storage.s3_bucket = Some(s3.bucket.clone());
        s.storage.s3_endpoint = s3.endpoint.clone();
        s.storage.s3_access_key = Some(s3.access_key.clone().into());
        s.storage.s3_secret_key = Some(s3.secret_key.clone().into());
    })
    .await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4107", 20_000).await;
    let client = app.register("CLIENT").await;
    let session = app.completed_session(&client, &lawyer).await;
    let draft = app.fee_agreement_draft(&lawyer, &session).await;
    let id = draft["contract"]["id"].as_str().unwrap().to_owned();

    // The store goes down: sending fails whole, and the draft stays a draft.
    drop(server);
    let r = lawyer
        .post(&format!("/api/contracts/{id}/send"), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error_code(r).await, "storage_unavailable");
    let (status, sent): (String, i64) = sqlx::query_as(
        "SELECT status, (SELECT count(*) FROM contract_versions WHERE contract_id = c.id AND sent_at IS NOT NULL)
         FROM contracts c WHERE id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((status.as_str(), sent), ("draft", 0));
    assert!(audit_entries(&db, "contract.sent", &id).await.is_empty());

    // Back up (moto keeps nothing across restarts: a fresh, empty bucket), sending works and
    // the client's PDF comes from S3.
    let _server = crate::helpers::moto(port, &s3).await;
    let sent = json_ok(
        lawyer
            .post(&format!("/api/contracts/{id}/send"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    let pdf = client
        .get(&format!("/api/contracts/{id}/versions/1/pdf"))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf = pdf.bytes().await.unwrap();
    assert_eq!(
        Some(sha256(&pdf).as_str()),
        sent["versions"][0]["pdf_sha256"].as_str()
    );
}

#[sqlx::test]
async fn the_database_keeps_sent_versions_and_answers_exact(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.admin().await;
    let lawyer = app.verified_lawyer(&admin, "4108", 20_000).await;
    let client = app.register("CLIENT").await;
    let (id, _) = app.sent_fee_agreement(&client, &lawyer, 7).await;
    let refused = |sql: &'static str| {
        let db = db.clone();
        let id = id.clone();
        async move {
            let e = sqlx::query(sql).bind(&id).execute(&db).await.unwrap_err();
            e.as_database_error()
                .and_then(|d| d.constraint())
                .unwrap_or_default()
                .to_owned()
        }
    };
    assert_eq!(
        refused("UPDATE contract_versions SET body = body || ' alterado', body_sha256 = encode(sha256(convert_to(body || ' alterado', 'UTF8')), 'hex') WHERE contract_id = $1::uuid").await,
        "contract_versions_immutable"
    );
    assert_eq!(
        refused("DELETE FROM contract_versions WHERE contract_id = $1::uuid").await,
        "contract_versions_immutable"
    );
    assert_eq!(
        refused("INSERT INTO contract_versions (contract_id, number, body, body_sha256, created_at) VALUES ($1::uuid, 9, 'um texto qualquer de teste', 'ab', now())").await,
        "contract_versions_hash_is_body"
    );
    assert_eq!(
        refused("INSERT INTO contract_answers (contract_id, client_id, version, body_sha256, answer, answered_at, ip)
                 SELECT c.id, c.client_id, 1, repeat('0', 64), 'accepted', now(), '127.0.0.1' FROM contracts c WHERE c.id = $1::uuid").await,
        "contract_answers_exact_text"
    );
    assert_eq!(
        refused("INSERT INTO contract_answers (contract_id, client_id, version, body_sha256, answer, answered_at, ip)
                 SELECT c.id, c.lawyer_id, 1, v.body_sha256, 'accepted', now(), '127.0.0.1'
                 FROM contracts c JOIN contract_versions v ON v.contract_id = c.id WHERE c.id = $1::uuid").await,
        "contract_answers_by_client"
    );
    assert_eq!(
        refused("UPDATE contracts SET status = 'active' WHERE id = $1::uuid").await,
        "contracts_lifecycle"
    );
    assert_eq!(
        refused("UPDATE contracts SET client_id = lawyer_id WHERE id = $1::uuid").await,
        "contracts_parties_fixed"
    );
}
