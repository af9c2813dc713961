//! Every route, as every kind of caller, with the status each must get.
//! A route in the OpenAPI document that is missing here fails the test, so
//! every new route has to join the matrix.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{unique_email, Actor, TestApp, PASSWORD};

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
}

struct Route {
    method: Method,
    template: &'static str,
    subject: Subject,
    body: fn(&World) -> Option<Value>,
    /// Expected status for each of `CALLERS`, in order.
    expect: [u16; 6],
}

struct World {
    client_email: String,
}

fn routes() -> Vec<Route> {
    let none: fn(&World) -> Option<Value> = |_| None;
    let reason: fn(&World) -> Option<Value> = |_| Some(json!({"reason": "access matrix"}));
    vec![
        Route {
            method: Method::POST,
            template: "/api/auth/register",
            subject: Subject::None,
            body: |_| {
                Some(
                    json!({"email": unique_email("m"), "password": PASSWORD, "display_name": "M", "role": "CLIENT"}),
                )
            },
            expect: [201; 6],
        },
        Route {
            method: Method::POST,
            template: "/api/auth/login",
            subject: Subject::None,
            body: |w| Some(json!({"email": w.client_email, "password": PASSWORD})),
            expect: [200; 6],
        },
        Route {
            method: Method::POST,
            template: "/api/auth/logout",
            subject: Subject::None,
            body: |_| Some(json!({})),
            expect: [401, 204, 204, 204, 204, 204],
        },
        Route {
            method: Method::GET,
            template: "/api/me",
            subject: Subject::None,
            body: none,
            expect: [401, 200, 200, 200, 200, 200],
        },
        Route {
            method: Method::GET,
            template: "/api/users/{id}",
            subject: Subject::Client,
            body: none,
            expect: [401, 200, 404, 404, 404, 200],
        },
        Route {
            method: Method::GET,
            template: "/api/admin/users",
            subject: Subject::None,
            body: none,
            expect: [401, 403, 403, 403, 403, 200],
        },
        Route {
            method: Method::POST,
            template: "/api/admin/users/{id}/suspend",
            subject: Subject::Bystander,
            body: reason,
            expect: [401, 403, 403, 403, 403, 200],
        },
        Route {
            method: Method::POST,
            template: "/api/admin/users/{id}/restore",
            subject: Subject::Bystander,
            body: reason,
            expect: [401, 403, 403, 403, 403, 200],
        },
        Route {
            method: Method::GET,
            template: "/api/admin/audit",
            subject: Subject::None,
            body: none,
            expect: [401, 403, 403, 403, 403, 200],
        },
        Route {
            method: Method::GET,
            template: "/api/admin/audit/verify",
            subject: Subject::None,
            body: none,
            expect: [401, 403, 403, 403, 403, 200],
        },
    ]
}

async fn callers(app: &TestApp) -> [Actor; 6] {
    [
        app.anonymous(),
        app.register("CLIENT").await,
        app.register("CLIENT").await,
        app.register("LAWYER").await,
        app.register("PARTNER").await,
        app.admin().await,
    ]
}

#[sqlx::test]
async fn every_route_answers_each_caller_as_the_matrix_says(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let mut failures = Vec::new();
    for route in routes() {
        // Fresh callers per route, so that one route's effect (a logout) cannot leak into another.
        let actors = callers(&app).await;
        let bystander: Uuid = app.register("CLIENT").await.id;
        let world = World {
            client_email: actors[1].email.clone(),
        };
        let path = match route.subject {
            Subject::None => route.template.to_owned(),
            Subject::Client => route.template.replace("{id}", &actors[1].id.to_string()),
            Subject::Bystander => route.template.replace("{id}", &bystander.to_string()),
        };
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
