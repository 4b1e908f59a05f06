//! The one implementation of the store traits, for SQLite (the embedded default) and PostgreSQL
//! (several server instances on one database).
//!
//! Every query is written once, with `$n` placeholders (both databases accept them), and runs
//! through sqlx's `Any` driver on whichever database `db::open_store` connected to. Columns hold
//! the same representation on both (`store::encode`: text dates and times, snake_case names,
//! JSON text), so the driver's common types (integers, text, bytes) are all the store needs. On
//! PostgreSQL every text column is `COLLATE "C"`, so ordering, date comparisons and `lower()`
//! behave as SQLite's binary collation does, whatever the database's locale.
//!
//! [`Dialect`] holds what truly differs, each place saying why:
//! - **Concurrency.** SQLite runs one writer at a time: a write transaction starts with
//!   `BEGIN IMMEDIATE` ([`SqlStore::begin_write`]), taking the database's write lock before it
//!   reads, so what it reads stays true until it commits. PostgreSQL runs transactions side by side
//!   at READ COMMITTED: guarded writes (`… WHERE version = $n`) keep their meaning, because a
//!   second writer of the same row waits for the first to commit and re-checks the guard on the
//!   new row; where a transaction reads and then decides (an enrollment checked against the
//!   partner's program), it first locks the partner's row (`partners::lock_partner`), which every
//!   write to that partner's program also takes. Rows are locked in one order (a request, then its
//!   vouchers by id) so that transitions never deadlock.
//! - **JSON paths** inside stored documents ([`Dialect::json_text`]).
//! - **Identity sequences**, which PostgreSQL must be told about after rows were written with
//!   explicit ids ([`move_identity_past_rows`]).
//!
//! Opening, claiming and migrating a database stay per database (`db.rs`, `migrations/` and
//! `migrations/postgres/`): those are PRAGMAs, advisory locks and DDL, not queries of the store.

mod accounts;
mod embed_tokens;
mod outbox;
mod partners;
mod payments;
mod vouchers;

use std::fmt::Write as _;

use planning_domain::api::vouchers::NotificationEvent;
use sqlx::any::AnyArguments;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Arguments, Encode, Transaction, Type};

use super::encode::{name_of, parse_date, parse_json, parse_name, parse_time, sortable_time, to_json};

/// Which database a [`SqlStore`] runs on, for the few statements whose spelling or locking differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The text at `path` inside the JSON text column `column` (NULL where there is none).
    pub(crate) fn json_text(self, column: &str, path: &[&str]) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({column}, '$.{}')", path.join(".")),
            Dialect::Postgres => format!("({column}::jsonb #>> '{{{}}}')", path.join(",")),
        }
    }

    /// The end of a `SELECT` that leases rows for this server (the outbox): PostgreSQL skips
    /// rows another server holds rather than waiting for them; SQLite has one writer at a time,
    /// so no other server holds any.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// The store on one database.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    dialect: Dialect,
}

impl SqlStore {
    /// The store on `pool`, which `db::open_store` connected to a migrated database of `dialect`.
    pub fn new(pool: AnyPool, dialect: Dialect) -> Self {
        SqlStore { pool, dialect }
    }

    /// A connection for several reads that belong together (a partner's program, say). On
    /// SQLite a read transaction, so that they see one snapshot. On PostgreSQL a plain
    /// connection: at READ COMMITTED a transaction would give each statement its own snapshot
    /// all the same, and `BEGIN`/`COMMIT` would be two more round trips.
    async fn begin_read(&self) -> Result<ReadSession, sqlx::Error> {
        Ok(match self.dialect {
            Dialect::Sqlite => ReadSession::Transaction(self.pool.begin().await?),
            Dialect::Postgres => ReadSession::Connection(self.pool.acquire().await?),
        })
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock at once (waiting up
    /// to the busy timeout for another writer): a deferred transaction that read first would fail
    /// with `SQLITE_BUSY_SNAPSHOT` if another writer committed before its first write. PostgreSQL
    /// locks rows where the transaction writes or decides (see the module's note).
    async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.pool.begin().await,
        }
    }
}

/// Reads that belong together ([`SqlStore::begin_read`]); used as a connection, ended by
/// [`ReadSession::finish`].
enum ReadSession {
    Transaction(Transaction<'static, Any>),
    Connection(PoolConnection<Any>),
}

impl ReadSession {
    /// Ends the reads (commits the read transaction; returns the connection to the pool).
    async fn finish(self) -> Result<(), sqlx::Error> {
        match self {
            ReadSession::Transaction(transaction) => transaction.commit().await,
            ReadSession::Connection(_) => Ok(()),
        }
    }
}

impl std::ops::Deref for ReadSession {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match self {
            ReadSession::Transaction(transaction) => transaction,
            ReadSession::Connection(connection) => connection,
        }
    }
}

impl std::ops::DerefMut for ReadSession {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            ReadSession::Transaction(transaction) => transaction,
            ReadSession::Connection(connection) => connection,
        }
    }
}

/// A statement put together from parts (a listing's filters), numbering its placeholders `$1`,
/// `$2`, …: sqlx's `QueryBuilder` writes `?` for the `Any` driver, which PostgreSQL refuses.
pub(crate) struct SqlBuilder<'q> {
    sql: String,
    arguments: AnyArguments<'q>,
}

impl<'q> SqlBuilder<'q> {
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        SqlBuilder { sql: sql.into(), arguments: AnyArguments::default() }
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        // Adding to `AnyArguments` only records the value; it cannot fail.
        let _ = self.arguments.add(value);
        let _ = write!(self.sql, "${}", self.arguments.len());
        self
    }

    /// The statement's text and its arguments, for `sqlx::query_with` and friends.
    pub(crate) fn build(self) -> (String, AnyArguments<'q>) {
        (self.sql, self.arguments)
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
async fn insert_audit(connection: &mut AnyConnection, row: AuditRow<'_>) -> Result<(), super::StoreError> {
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

/// Queues notifications in the outbox (inside the caller's transaction, with the change they
/// report): (recipient user id, recipient email, event), written by one multi-row statement.
async fn insert_notifications(
    connection: &mut AnyConnection,
    notifications: &[(i64, &str, NotificationEvent)],
    at: &str,
) -> Result<(), super::StoreError> {
    if notifications.is_empty() {
        return Ok(());
    }
    let mut insert =
        SqlBuilder::new("INSERT INTO outbox (recipient_user_id, recipient_email, event, created_at) VALUES ");
    for (index, (recipient_user_id, recipient_email, event)) in notifications.iter().enumerate() {
        insert.push(if index == 0 { "(" } else { ", (" });
        insert.push_bind(*recipient_user_id).push(", ");
        insert.push_bind(recipient_email.to_string()).push(", ");
        insert.push_bind(to_json(event)?).push(", ");
        insert.push_bind(at.to_owned()).push(")");
    }
    let (sql, arguments) = insert.build();
    sqlx::query_with(&sql, arguments).execute(connection).await?;
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
    pool: &AnyPool,
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
    "partner_competency_history",
    "consultant_exam_history",
    "enrollments",
    "pool_changes",
    "audit_log",
    "outbox",
    "payment_requests",
    "embed_tokens",
    "password_resets",
];

/// The statement that moves PostgreSQL's identity sequence of `table` past its largest `id`,
/// after rows were written with explicit ids (seeded payment requests, a move from SQLite), so
/// the next insert does not collide with them. SQLite needs none: its next rowid is always past
/// the largest.
pub(crate) fn move_identity_sql(table: &str) -> String {
    debug_assert!(IDENTITY_TABLES.contains(&table));
    format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) IS NOT NULL")
}

/// [`move_identity_sql`] inside the store's transaction, on PostgreSQL only.
async fn move_identity_past_rows(
    connection: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
) -> Result<(), super::StoreError> {
    if dialect == Dialect::Postgres {
        sqlx::query(&move_identity_sql(table)).execute(connection).await?;
    }
    Ok(())
}
