//! Opening the database: SQLite in the data directory (created on first start), or PostgreSQL
//! by URL; refuse databases that are not ours, apply the migrations of that kind.
//!
//! Every SQLite connection runs in WAL mode with `synchronous=FULL`: the portal records state
//! changes and money, and a committed change must survive a power loss.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::any::AnyPoolOptions;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Executor as _;

use crate::config::DatabaseUrl;
use crate::store::sql::{Dialect, SqlStore};
use crate::store::DynStore;

/// `PRAGMA application_id` of every portal database ("PSVP"), so a foreign file is recognised.
pub const APPLICATION_ID: i64 = 0x5053_5650;

/// SQLite connections per server instance (one writes at a time; the others read beside it).
const SQLITE_CONNECTIONS: u32 = 8;

/// The store the settings name: PostgreSQL when a database URL is given, else SQLite in `data_dir`.
///
/// The database is first opened with its own driver, which claims it and applies its migrations
/// (`open`, `open_postgres`); the store then queries it through sqlx's `Any` driver, so that each
/// query is written once for both (`store::sql`). The `Any` pool is given the same settings.
pub async fn open_store(data_dir: &Path, database_url: Option<&DatabaseUrl>) -> anyhow::Result<DynStore> {
    sqlx::any::install_default_drivers();
    let store = match database_url {
        Some(url) => {
            open_postgres(url).await?.close().await;
            let pool = AnyPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url.expose())
                .await
                .map_err(|error| describe_postgres_error(url, error))?;
            SqlStore::new(pool, Dialect::Postgres)
        }
        None => {
            open(data_dir).await?.close().await;
            let path = data_dir.join("portal.sqlite3");
            let pool = AnyPoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(10))
                // What `open` sets through `SqliteConnectOptions`, which the `Any` driver's URL
                // cannot carry: every connection of the store runs with them.
                .after_connect(|connection, _| {
                    Box::pin(async move {
                        connection.execute(SQLITE_CONNECTION_PRAGMAS).await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(&path))
                .await
                .map_err(|error| describe_open_error(&path, error))?;
            SqlStore::new(pool, Dialect::Sqlite)
        }
    };
    Ok(Arc::new(store))
}

/// The settings of every SQLite connection (`open` sets the same through its options); the
/// journal mode is the file's own, set to WAL by `open`.
const SQLITE_CONNECTION_PRAGMAS: &str =
    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Opens (creating if needed) `portal.sqlite3` in `data_dir` and brings its schema up to date.
pub async fn open(data_dir: &Path) -> anyhow::Result<SqlitePool> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let path = data_dir.join("portal.sqlite3");
    let options = SqliteConnectOptions::from_str(&sqlite_url(&path))
        .context("invalid database path")?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(SQLITE_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|error| describe_open_error(&path, error))?;
    claim_or_refuse(&pool, &path).await?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .with_context(|| format!("cannot apply migrations to {}", path.display()))?;
    Ok(pool)
}

/// Marks a new, empty database as ours; refuses a file that holds another program's data.
async fn claim_or_refuse(pool: &SqlitePool, path: &Path) -> anyhow::Result<()> {
    let application_id: i64 = sqlx::query_scalar("PRAGMA application_id")
        .fetch_one(pool)
        .await
        .map_err(|error| describe_open_error(path, error))?;
    if application_id == APPLICATION_ID {
        return Ok(());
    }
    let table_count: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_schema")
        .fetch_one(pool)
        .await
        .map_err(|error| describe_open_error(path, error))?;
    if application_id != 0 || table_count > 0 {
        bail!(
            "{} is not a Planning Services portal database (it belongs to another program); \
             move it away or choose another --data-dir",
            path.display()
        );
    }
    sqlx::query(&format!("PRAGMA application_id = {APPLICATION_ID}"))
        .execute(pool)
        .await
        .context("cannot mark the new database")?;
    Ok(())
}

fn describe_open_error(path: &Path, error: sqlx::Error) -> anyhow::Error {
    let detail = match &error {
        sqlx::Error::Database(database_error) => database_error.message().to_owned(),
        other => other.to_string(),
    };
    anyhow::anyhow!("cannot open the database {}: {detail}", path.display())
}

/// Connections per server instance to PostgreSQL: several instances share the server's
/// `max_connections` (100 by default).
const POSTGRES_CONNECTIONS: u32 = 16;

/// Connects to an existing PostgreSQL database (it is never created here), refuses one that
/// holds another program's tables, and applies `migrations/postgres/`. Instances starting at the
/// same time take turns under an advisory lock, so exactly one of them claims an empty database.
pub async fn open_postgres(url: &DatabaseUrl) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(url.expose())
        .map_err(|_| anyhow::anyhow!("the database URL {} is not a valid PostgreSQL URL", url.redacted()))?;
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|error| describe_postgres_error(url, error))?;
    let mut connection = pool.acquire().await.map_err(|error| describe_postgres_error(url, error))?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(APPLICATION_ID)
        .execute(&mut *connection)
        .await
        .map_err(|error| describe_postgres_error(url, error))?;
    let prepared = claim_or_refuse_postgres(&mut connection, url).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)").bind(APPLICATION_ID).execute(&mut *connection).await;
    prepared?;
    unlocked.map_err(|error| describe_postgres_error(url, error))?;
    Ok(pool)
}

/// The PostgreSQL stand-in for `PRAGMA application_id`: migration 0001 records
/// `app_meta.application_id`, in the transaction that creates the table. A database (schema) with
/// tables but without that row belongs to someone else.
async fn claim_or_refuse_postgres(connection: &mut PgConnection, url: &DatabaseUrl) -> anyhow::Result<()> {
    let has_meta: bool = sqlx::query_scalar("SELECT to_regclass('app_meta') IS NOT NULL")
        .fetch_one(&mut *connection)
        .await
        .map_err(|error| describe_postgres_error(url, error))?;
    let ours = if has_meta {
        let id: Option<String> = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = 'application_id'")
            .fetch_optional(&mut *connection)
            .await
            .map_err(|error| describe_postgres_error(url, error))?;
        id == Some(APPLICATION_ID.to_string())
    } else {
        let table_count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                .fetch_one(&mut *connection)
                .await
                .map_err(|error| describe_postgres_error(url, error))?;
        table_count == 0
    };
    if !ours {
        bail!(
            "{} is not a Planning Services portal database (it belongs to another program); \
             choose another database",
            url.redacted()
        );
    }
    sqlx::migrate!("./migrations/postgres")
        .run(&mut *connection)
        .await
        .with_context(|| format!("cannot apply migrations to {}", url.redacted()))?;
    Ok(())
}

fn describe_postgres_error(url: &DatabaseUrl, error: sqlx::Error) -> anyhow::Error {
    let detail = match &error {
        sqlx::Error::Database(database_error) => database_error.message().to_owned(),
        other => other.to_string(),
    };
    anyhow::anyhow!("cannot open the database {}: {detail}", url.redacted())
}
