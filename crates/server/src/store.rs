//! Storage behind traits, one per resource, so that handlers never see SQL. `sql` implements
//! them once for both databases: SQLite, the embedded default, and PostgreSQL, which serves
//! several server instances on one database.
//!
//! Each trait states its operations in domain terms. State transitions are single methods that
//! the implementation makes atomic (one conditional write or one transaction), never a read
//! followed by an unguarded write in a handler.

pub mod accounts;
pub mod embed_tokens;
mod encode;
pub mod outbox;
pub mod partners;
pub mod payments;
pub mod sql;
pub mod transfer;
pub mod vouchers;

use std::sync::Arc;

pub use accounts::AccountStore;
pub use embed_tokens::EmbedTokenStore;
pub use outbox::OutboxStore;
pub use partners::PartnerStore;
pub use payments::PaymentStore;
pub use vouchers::VoucherStore;

/// Everything the server stores.
pub trait Store:
    AccountStore + EmbedTokenStore + OutboxStore + PartnerStore + PaymentStore + VoucherStore + Send + Sync + 'static
{
}

impl<
        T: AccountStore
            + EmbedTokenStore
            + OutboxStore
            + PartnerStore
            + PaymentStore
            + VoucherStore
            + Send
            + Sync
            + 'static,
    > Store for T
{
}

/// The store as handlers hold it.
pub type DynStore = Arc<dyn Store>;

/// What can go wrong in a store, in terms a handler can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule refused the write (an email in use, say).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database failed; the request cannot be served.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Stored data could not be read back (a bug or a hand-edited database).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
