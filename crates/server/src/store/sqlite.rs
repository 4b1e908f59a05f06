//! The SQLite implementation of the store (the embedded default).

mod accounts;
mod outbox;
mod partners;
mod payments;
mod vouchers;

use sqlx::SqlitePool;

/// The store on one SQLite database file (WAL, `synchronous=FULL`; see `db::open`).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub fn new(pool: SqlitePool) -> Self {
        SqliteStore { pool }
    }
}

/// Reads an RFC 3339 timestamp written by this store.
fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, super::StoreError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&chrono::Utc))
        .map_err(|error| super::StoreError::Corrupt(format!("timestamp {text:?}: {error}")))
}

/// Reads a snake_case enum value written by this store (roles, kinds, states).
fn parse_name<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, super::StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| super::StoreError::Corrupt(format!("unknown value {text:?}")))
}

/// Reads a `YYYY-MM-DD` date written by this store.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, super::StoreError> {
    text.parse().map_err(|_| super::StoreError::Corrupt(format!("date {text:?}")))
}

/// Reads a JSON column (a domain value stored whole) written by this store.
fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, super::StoreError> {
    serde_json::from_str(text).map_err(|error| super::StoreError::Corrupt(format!("stored JSON: {error}")))
}

/// Writes a domain value into a JSON column.
fn to_json<T: serde::Serialize>(value: &T) -> Result<String, super::StoreError> {
    serde_json::to_string(value).map_err(|error| super::StoreError::Corrupt(format!("cannot serialize: {error}")))
}

/// The snake_case name under which an enum value is stored.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}
