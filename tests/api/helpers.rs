use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, PgPool};
use tribuna::config::Settings;
use tribuna::startup::Application;
use tribuna_api::accounts::{self, NewAccount};
use tribuna_api::auth::hash_password;
use tribuna_api::domain::{DisplayName, Email, Password, Role};
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub url: String,
    pub db: PgPool,
    pub state: tribuna_api::AppState,
    pub stand_in: tribuna_stripe_standin::StandIn,
    pub sfu: std::sync::Arc<tribuna_sfu::Sfu>,
    pub legal: Arc<tribuna::legal::LegalMode>,
    pub clock: Arc<OffsetClock>,
}

/// Real time plus an offset the test sets: time moves on, and a test can jump ahead.
#[derive(Default)]
pub struct OffsetClock(Mutex<chrono::Duration>);

impl OffsetClock {
    /// Makes `now()` return about `at` from here on.
    pub fn set(&self, at: chrono::DateTime<chrono::Utc>) {
        *self.0.lock().unwrap() = at - chrono::Utc::now();
    }
}

impl tribuna_api::Clock for OffsetClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + *self.0.lock().unwrap()
    }
}

impl TestApp {
    pub async fn spawn(db: PgPool) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    pub async fn spawn_with(db: PgPool, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings::default();
        settings.server.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        settings.web.build = false;
        settings.web.dir = std::env::temp_dir().join("tribuna-no-web-client");
        settings.sessions.worker_interval_seconds = 0;
        // Tests jump the clock days ahead; logins should outlive that.
        settings.auth.session_ttl_hours = 24 * 30;
        settings.data.dir = Some(std::env::temp_dir().join("tribuna-test-data"));
        configure(&mut settings);
        // `RUST_LOG=…` shows the server's logs (with `--nocapture`) when a test needs a look.
        if std::env::var_os("RUST_LOG").is_some() {
            tribuna::telemetry::init(&settings.log);
        }
        let clock = Arc::new(OffsetClock::default());
        let app = Application::build_with_clock(&settings, db.clone(), clock.clone())
            .await
            .expect("app builds");
        let url = format!("http://{}", app.addr);
        let state = app.state.clone();
        let sfu = app.sfu.clone();
        let legal = app.legal.clone();
        let stand_in = app.stand_in.clone().expect("tests use the Stripe stand-in");
        tokio::spawn(app.run(std::future::pending()));
        TestApp {
            url,
            db,
            state,
            stand_in,
            sfu,
            legal,
            clock,
        }
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Actor {
        Actor {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("client"),
            base: self.url.clone(),
            id: Uuid::nil(),
            email: String::new(),
            csrf: None,
        }
    }

    /// Signs up a new user with `role` and returns them logged in.
    pub async fn register(&self, role: &str) -> Actor {
        let mut actor = self.anonymous();
        let email = unique_email(role);
        let res = actor
            .post("/api/auth/register", &json!({"email": email, "password": PASSWORD, "display_name": format!("Test {role}"), "role": role}))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "register {role}");
        actor.adopt(res.json().await.expect("session json"));
        actor
    }

    /// Creates an admin the way `tribuna admin create` does and logs them in.
    pub async fn admin(&self) -> Actor {
        let email = unique_email("admin");
        let mut tx = self.db.begin().await.expect("tx");
        let new = NewAccount {
            email: Email::parse(&email).expect("email"),
            password_hash: hash_password(Password::parse(PASSWORD.into()).expect("pw"))
                .await
                .expect("hash"),
            display_name: DisplayName::parse("Admin").expect("name"),
            role: Role::Admin,
        };
        accounts::create(&mut tx, new, None, chrono::Utc::now())
            .await
            .expect("admin created");
        tx.commit().await.expect("commit");
        self.login(&email).await
    }

    pub async fn login(&self, email: &str) -> Actor {
        let mut actor = self.anonymous();
        let res = actor
            .post(
                "/api/auth/login",
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login {email}");
        actor.adopt(res.json().await.expect("session json"));
        actor
    }
}

pub fn unique_email(tag: &str) -> String {
    format!("{tag}-{}@example.com", Uuid::new_v4().simple())
}

/// A browser-like HTTP client: a cookie jar and the CSRF token from the last login.
pub struct Actor {
    pub http: reqwest::Client,
    pub base: String,
    pub id: Uuid,
    pub email: String,
    pub csrf: Option<String>,
}

impl Actor {
    fn adopt(&mut self, session: Value) {
        self.id = session["user"]["id"]
            .as_str()
            .expect("user id")
            .parse()
            .expect("uuid");
        self.email = session["user"]["email"].as_str().expect("email").to_owned();
        self.csrf = Some(session["csrf_token"].as_str().expect("csrf").to_owned());
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = &self.csrf {
            req = req.header("X-CSRF-Token", csrf);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }
}

/// The `{"error": {"code"}}` of an error response.
pub async fn error_code(res: Response) -> String {
    let body: Value = res.json().await.expect("json error body");
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned()
}

/// A URL for the test's own database, for running the real binary against it.
pub fn database_url(db: &PgPool) -> String {
    let options: &PgConnectOptions = &db.connect_options();
    options.to_url_lossy().to_string()
}

impl TestApp {
    /// Signs up a new user with `role` through a partner's invite visit.
    pub async fn register_via(&self, role: &str, visit: &str) -> Actor {
        let mut actor = self.anonymous();
        let email = unique_email(role);
        let body = json!({"email": email, "password": PASSWORD, "display_name": format!("Test {role}"), "role": role, "invite_visit": visit});
        let res = actor.post("/api/auth/register", &body).await;
        assert_eq!(res.status(), StatusCode::CREATED, "register {role}");
        actor.adopt(res.json().await.expect("session json"));
        actor
    }

    /// A partner's invite code of `kind` (`client` or `lawyer`); returns the code.
    pub async fn invite(&self, partner: &Actor, kind: &str) -> String {
        let res = partner
            .post("/api/partner/invites", &json!({"kind": kind}))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let v: Value = res.json().await.unwrap();
        v["code"].as_str().unwrap().to_owned()
    }

    /// A visit with `code`; returns the visit id.
    pub async fn visit(&self, code: &str) -> String {
        let res = self
            .anonymous()
            .post(&format!("/api/invites/{code}/visit"), &json!({}))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "visit {code}");
        let v: Value = res.json().await.unwrap();
        v["visit_id"].as_str().unwrap().to_owned()
    }
}

pub struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// moto's S3 server on `port` (installed by scripts/test.sh), with an empty bucket.
pub async fn moto(port: u16, settings: &tribuna_recorder::store::S3Settings) -> Moto {
    moto_with(port, settings, false).await
}

/// moto's S3 server on `port` with an empty bucket, with object lock enabled when `locked`.
pub async fn moto_with(
    port: u16,
    settings: &tribuna_recorder::store::S3Settings,
    locked: bool,
) -> Moto {
    let child = std::process::Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server is installed (pip install 'moto[server]')");
    let server = Moto(child);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "moto_server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let tribuna_recorder::store::Store::S3 { client, bucket } =
        tribuna_recorder::store::Store::s3(settings)
    else {
        unreachable!()
    };
    client
        .create_bucket()
        .bucket(bucket)
        .object_lock_enabled_for_bucket(locked)
        .send()
        .await
        .expect("bucket created");
    server
}

/// A TCP proxy on loopback that the test can cut and restore: while down, every connection
/// through it is dropped and new ones are closed at once (a store that does not answer).
pub struct Proxy {
    pub port: u16,
    up: tokio::sync::watch::Sender<bool>,
}

impl Proxy {
    pub async fn start(target: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, watch) = tokio::sync::watch::channel(true);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut watch = watch.clone();
                if !*watch.borrow() {
                    continue; // dropped: the connection closes
                }
                tokio::spawn(async move {
                    let Ok(mut outbound) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = watch.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }

    pub fn set_up(&self, up: bool) {
        let _ = self.up.send(up);
    }
}
