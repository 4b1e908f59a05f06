//! Online backup and restore of a SQLite deployment (`planning-server backup` / `restore`).
//!
//! A backup is a directory laid out like a data directory: `portal.sqlite3`, written by SQLite's
//! `VACUUM INTO` (one read transaction, so a consistent snapshot while the server keeps writing;
//! WAL readers never block the writer), and `documents/`, the uploaded deliverables its rows
//! name. Deliverables are immutable and content-addressed, and an upload stores its file before
//! its row, so copying the files after the snapshot finds every file the snapshot names; each is
//! checked against its SHA-256 name. Restoring copies a backup into a data directory without a
//! database, brings its schema up to date and compares every table's row count and checksum
//! (`store::transfer::sqlite_reports`, the check of the move to PostgreSQL) with the backup's.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, SqliteConnection};

use crate::db::{self, APPLICATION_ID};
use crate::store::transfer::{sqlite_reports, TableReport};

const DATABASE_FILE: &str = "portal.sqlite3";
const DOCUMENTS_DIR: &str = "documents";

/// What a backup or a restore produced.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Every table's row count and checksum in the copy.
    pub tables: Vec<TableReport>,
    /// Bytes of the database file.
    pub database_bytes: u64,
    /// Deliverables copied, and their bytes.
    pub documents: u64,
    pub document_bytes: u64,
}

/// Backs up the SQLite deployment in `data_dir` (the server may be running) into `to`, a new
/// or empty directory.
pub async fn backup(data_dir: &Path, to: &Path) -> anyhow::Result<CopyReport> {
    let source = data_dir.join(DATABASE_FILE);
    if !source.is_file() {
        bail!("{} does not exist; --data-dir names the data directory of a SQLite deployment", source.display());
    }
    prepare_empty_dir(to)?;
    let target = to.join(DATABASE_FILE);
    let mut connection = connect(&source, false).await?;
    check_ours(&mut connection, &source).await?;
    // Fails before writing anything when the schema has a table the checksum does not know.
    sqlite_reports(&mut connection).await.with_context(|| format!("cannot read {}", source.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target.to_str().context("the backup path is not UTF-8")?)
        .execute(&mut connection)
        .await
        .with_context(|| format!("cannot write the backup {}", target.display()))?;
    drop(connection);
    sync_file(&target)?;
    let mut copy = connect(&target, true).await?;
    check_ours(&mut copy, &target).await?;
    check_integrity(&mut copy, &target).await?;
    let tables = sqlite_reports(&mut copy).await?;
    let (documents, document_bytes) =
        copy_documents(&mut copy, &data_dir.join(DOCUMENTS_DIR), &to.join(DOCUMENTS_DIR)).await?;
    sync_file(to)?;
    Ok(CopyReport { tables, database_bytes: std::fs::metadata(&target)?.len(), documents, document_bytes })
}

/// Restores the backup in `from` into `data_dir`, which must hold no database; the restored
/// database is verified table by table against the backup.
pub async fn restore(from: &Path, data_dir: &Path) -> anyhow::Result<CopyReport> {
    let backup_file = from.join(DATABASE_FILE);
    if !backup_file.is_file() {
        bail!("{} does not exist; --from names a directory written by `planning-server backup`", backup_file.display());
    }
    let target = data_dir.join(DATABASE_FILE);
    for existing in [target.clone(), data_dir.join("portal.sqlite3-wal")] {
        if existing.exists() {
            bail!(
                "{} already exists; restore into a data directory without a database (stop the server and move it away)",
                existing.display()
            );
        }
    }
    let mut backup_connection = connect(&backup_file, true).await?;
    check_ours(&mut backup_connection, &backup_file).await?;
    check_integrity(&mut backup_connection, &backup_file).await?;
    let expected = sqlite_reports(&mut backup_connection).await?;
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let partial = data_dir.join("portal.sqlite3.restoring");
    std::fs::copy(&backup_file, &partial).with_context(|| format!("cannot write {}", partial.display()))?;
    sync_file(&partial)?;
    std::fs::rename(&partial, &target).with_context(|| format!("cannot write {}", target.display()))?;
    sync_file(data_dir)?;
    let (documents, document_bytes) =
        copy_documents(&mut backup_connection, &from.join(DOCUMENTS_DIR), &data_dir.join(DOCUMENTS_DIR)).await?;
    drop(backup_connection);
    // As the server will open it: WAL, the migrations of this version applied.
    let pool = db::open(data_dir).await?;
    let mut restored = pool.acquire().await?;
    let tables = sqlite_reports(&mut restored).await?;
    drop(restored);
    pool.close().await;
    for (want, got) in expected.iter().zip(&tables) {
        if want != got {
            bail!(
                "{} differs after the restore: backup {} rows ({}), restored {} rows ({})",
                want.table,
                want.rows,
                want.checksum,
                got.rows,
                got.checksum
            );
        }
    }
    Ok(CopyReport { tables, database_bytes: std::fs::metadata(&target)?.len(), documents, document_bytes })
}

fn prepare_empty_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty; back up into a new directory", dir.display());
    }
    Ok(())
}

/// Opens an existing database; `single_file` puts it in rollback-journal mode, so a backup is
/// one self-contained file (no `-wal` beside it).
async fn connect(path: &Path, single_file: bool) -> anyhow::Result<SqliteConnection> {
    let mut options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .context("invalid database path")?
        .busy_timeout(Duration::from_secs(30));
    if single_file {
        options = options.journal_mode(SqliteJournalMode::Delete);
    }
    options.connect().await.with_context(|| format!("cannot open {}", path.display()))
}

async fn check_ours(connection: &mut SqliteConnection, path: &Path) -> anyhow::Result<()> {
    let application_id: i64 = sqlx::query_scalar("PRAGMA application_id").fetch_one(&mut *connection).await?;
    if application_id != APPLICATION_ID {
        bail!("{} is not a Planning Services portal database", path.display());
    }
    Ok(())
}

async fn check_integrity(connection: &mut SqliteConnection, path: &Path) -> anyhow::Result<()> {
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut *connection).await?;
    if verdict != "ok" {
        bail!("{} fails SQLite's integrity check: {verdict}", path.display());
    }
    Ok(())
}

/// Copies the deliverables the database names from `from` to `to`, each checked against its
/// SHA-256 name; returns how many and their bytes.
async fn copy_documents(database: &mut SqliteConnection, from: &Path, to: &Path) -> anyhow::Result<(u64, u64)> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT document_id FROM documents ORDER BY document_id").fetch_all(&mut *database).await?;
    if ids.is_empty() {
        return Ok((0, 0));
    }
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut bytes = 0;
    for id in &ids {
        let source: PathBuf = from.join(id);
        let content =
            std::fs::read(&source).with_context(|| format!("the deliverable {} is missing", source.display()))?;
        let digest: String = Sha256::digest(&content).iter().map(|byte| format!("{byte:02x}")).collect();
        if &digest != id {
            bail!("the deliverable {} does not match its SHA-256 name", source.display());
        }
        let target = to.join(id);
        std::fs::write(&target, &content).with_context(|| format!("cannot write {}", target.display()))?;
        sync_file(&target)?;
        bytes += content.len() as u64;
    }
    sync_file(to)?;
    Ok((ids.len() as u64, bytes))
}

/// Flushes a file or a directory (its entries) to disk.
fn sync_file(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .with_context(|| format!("cannot flush {} to disk", path.display()))
}
