//! User accounts: creating, finding, suspending and restoring them.

mod routes;
mod store;

pub use routes::{router, AccountView};
pub use store::{
    create, find_by_email, get, search, set_status, Account, AccountError, AccountSearch,
    NewAccount,
};
