//! How domain values are written to columns and read back, the same on SQLite and PostgreSQL:
//! dates as `YYYY-MM-DD` text, timestamps as RFC 3339 UTC text, enum values as their snake_case
//! wire names, whole domain values as JSON text. One representation is what lets
//! `migrate-to-postgres` copy rows unchanged and compare checksums across the two databases.

use super::StoreError;

/// Writes a timestamp that compares as text in time order: RFC 3339 UTC with exactly three
/// fractional digits (milliseconds, truncated) and a `Z` (embed tokens' `expires_at > $now`).
pub(crate) fn sortable_time(time: chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Reads an RFC 3339 timestamp written by the store.
pub(crate) fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&chrono::Utc))
        .map_err(|error| StoreError::Corrupt(format!("timestamp {text:?}: {error}")))
}

/// Reads a snake_case enum value written by the store (roles, kinds, states).
pub(crate) fn parse_name<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown value {text:?}")))
}

/// Reads a `YYYY-MM-DD` date written by the store.
pub(crate) fn parse_date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}

/// Reads a JSON column (a domain value stored whole) written by the store.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("stored JSON: {error}")))
}

/// Writes a domain value into a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(format!("cannot serialize: {error}")))
}

/// The snake_case name under which an enum value is stored.
pub(crate) fn name_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default()
}
