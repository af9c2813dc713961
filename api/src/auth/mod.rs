//! Accounts' access: sign-up, login, logout, the caller extractor and role policies.

mod caller;
mod password;
mod policy;
mod rate_limit;
mod routes;
mod session;

pub use caller::{Caller, ClientIp};
pub use password::{hash_password, verify_password};
pub use policy::{owner_or_admin, Admins, Clients, Lawyers, Only, Parties, Partners, RolePolicy};
pub(crate) use rate_limit::LoginLimiter;
pub use routes::{router, SessionResponse};
pub(crate) use session::revoke_all as revoke_all_sessions;
pub use session::{CSRF_HEADER, SESSION_COOKIE};
