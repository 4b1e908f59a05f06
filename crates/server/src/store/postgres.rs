//! The PostgreSQL implementation of the store: several server instances on one database.
//!
//! Columns hold the same representation as on SQLite (`store::encode`), with `COLLATE "C"` on
//! every text column so that ordering, date comparisons and `lower()` behave as SQLite's binary
//! collation does, whatever the database's locale.
//!
//! Concurrency: PostgreSQL runs transactions side by side at READ COMMITTED, where SQLite runs
//! one writer at a time. Guarded writes (`… WHERE version = $n`) keep their meaning: a second
//! writer of the same row waits for the first to commit and re-checks the guard on the new row,
//! so of racing transitions exactly one applies. Where a transaction reads and then decides (an
//! enrollment checked against the partner's program), it first locks the partner's row (see
//! `partners::lock_partner`), which every write to that partner's program also takes. Rows are
//! locked in one order (a request, then its vouchers by id) so that transitions never deadlock.

mod accounts;
mod embed_tokens;
mod outbox;
mod partners;
mod payments;
mod vouchers;

use sqlx::PgPool;

use super::encode::{name_of, parse_date, parse_json, parse_name, parse_time, sortable_time, to_json};

/// The store on one PostgreSQL database (see `db::open_postgres`).
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    pub fn new(pool: PgPool) -> Self {
        PostgresStore { pool }
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
async fn insert_audit(connection: &mut sqlx::PgConnection, row: AuditRow<'_>) -> Result<(), super::StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (subject_kind, subject_id, actor_user_id, actor_name, event, from_status, to_status, \
         program_date, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
    pool: &PgPool,
    subject_kind: &str,
    subject_id: &str,
) -> Result<Vec<AuditRecord<E, S>>, super::StoreError>
where
    E: serde::de::DeserializeOwned,
    S: serde::de::DeserializeOwned,
{
    let rows: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT at, program_date, actor_name, event, from_status, to_status FROM audit_log \
         WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id",
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

/// The tables whose `id` is an identity column, in an order that satisfies their foreign keys.
pub(crate) const IDENTITY_TABLES: &[&str] = &[
    "organizations",
    "users",
    "consultants",
    "enrollments",
    "pool_changes",
    "audit_log",
    "outbox",
    "payment_requests",
    "embed_tokens",
];

/// Moves the identity sequence of `table` past its largest `id`, after rows were written with
/// explicit ids (seeded payment requests, a migration from SQLite), so the next insert does not
/// collide with them.
pub(crate) async fn move_identity_past_rows(
    connection: &mut sqlx::PgConnection,
    table: &str,
) -> Result<(), super::StoreError> {
    debug_assert!(IDENTITY_TABLES.contains(&table));
    sqlx::query(&format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) IS NOT NULL"
    ))
    .execute(connection)
    .await?;
    Ok(())
}
