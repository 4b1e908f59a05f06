//! Opening the SQLite database: create it on first start, refuse files that are not ours,
//! apply migrations.
//!
//! Every connection runs in WAL mode with `synchronous=FULL`: the portal records state changes
//! and money, and a committed change must survive a power loss.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

/// `PRAGMA application_id` of every portal database ("PSVP"), so a foreign file is recognised.
pub const APPLICATION_ID: i64 = 0x5053_5650;

/// Opens (creating if needed) `portal.sqlite3` in `data_dir` and brings its schema up to date.
pub async fn open(data_dir: &Path) -> anyhow::Result<SqlitePool> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let path = data_dir.join("portal.sqlite3");
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .context("invalid database path")?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
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
