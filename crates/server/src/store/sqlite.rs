//! The SQLite implementation of the store (the embedded default).

mod accounts;
mod embed_tokens;
mod outbox;
mod partners;
mod payments;
mod vouchers;

use sqlx::SqlitePool;

use super::encode::{name_of, parse_date, parse_json, parse_name, parse_time, sortable_time, to_json};

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

/// One row of the append-only audit log, as every writer records it.
struct AuditRow<'a> {
    subject_kind: &'static str,
    subject_id: &'a str,
    /// `None` for the program clock and demo data.
    actor_user_id: Option<i64>,
    actor_name: &'a str,
    event_json: String,
    from_status: Option<String>,
    to_status: String,
    program_date: chrono::NaiveDate,
    at: &'a str,
}

/// Appends one audit row (inside the caller's transaction).
async fn insert_audit(connection: &mut sqlx::SqliteConnection, row: AuditRow<'_>) -> Result<(), super::StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (subject_kind, subject_id, actor_user_id, actor_name, event, from_status, to_status, \
         program_date, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.subject_kind)
    .bind(row.subject_id)
    .bind(row.actor_user_id)
    .bind(row.actor_name)
    .bind(row.event_json)
    .bind(row.from_status)
    .bind(row.to_status)
    .bind(row.program_date.to_string())
    .bind(row.at)
    .execute(connection)
    .await?;
    Ok(())
}

/// One audit row read back, with its event and statuses decoded.
struct AuditRecord<E, S> {
    at: String,
    program_date: chrono::NaiveDate,
    actor_name: String,
    event: E,
    from_status: Option<S>,
    to_status: S,
}

/// The audit trail of one subject, oldest first.
async fn read_audit<E, S>(
    pool: &SqlitePool,
    subject_kind: &str,
    subject_id: &str,
) -> Result<Vec<AuditRecord<E, S>>, super::StoreError>
where
    E: serde::de::DeserializeOwned,
    S: serde::de::DeserializeOwned,
{
    let rows: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT at, program_date, actor_name, event, from_status, to_status FROM audit_log \
         WHERE subject_kind = ? AND subject_id = ? ORDER BY id",
    )
    .bind(subject_kind)
    .bind(subject_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(at, program_date, actor_name, event, from_status, to_status)| {
            Ok(AuditRecord {
                at,
                program_date: parse_date(&program_date)?,
                actor_name,
                event: parse_json(&event)?,
                from_status: from_status.as_deref().map(parse_name).transpose()?,
                to_status: parse_name(&to_status)?,
            })
        })
        .collect()
}
