//! Moving a deployment from SQLite to PostgreSQL (`planning-server migrate-to-postgres`): every
//! row of every table copied unchanged (both stores write the same representation, see
//! `store::encode`), then each table's row count and checksum compared on both sides before the
//! copy commits. Either all of it is in PostgreSQL afterwards, verified, or nothing is.

use std::fmt::Write as _;

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row, SqliteConnection, SqlitePool};

/// The FTS5 table (and the prefix of its shadow tables) indexing `directory_text` on SQLite.
const DIRECTORY_TEXT_INDEX: &str = "directory_text_index";

/// Every table of the schema, parents before children (foreign keys are checked row by row).
/// A table missing here stops the copy before anything is written: add it when a migration
/// adds one.
pub const TABLES: &[&str] = &[
    "app_meta",
    "organizations",
    "users",
    "sessions",
    "partner_programs",
    "partner_competencies",
    "partner_locations",
    "consultants",
    "consultant_exams",
    "partner_competency_history",
    "consultant_exam_history",
    "partner_enrollments",
    "business_profiles",
    "business_profile_tags",
    "directory_text",
    "enrollments",
    "pool_changes",
    "vouchers",
    "documents",
    "audit_log",
    "outbox",
    "savb_registrations",
    "payment_requests",
    "payment_request_vouchers",
    "idempotency_keys",
    "embed_tokens",
    "embed_token_origins",
    "password_resets",
    "totp_factors",
    "recovery_codes",
    "sign_in_challenges",
    "oidc_sign_ins",
];

/// The PostgreSQL database's own marker row in `app_meta`, which SQLite keeps in its header.
const OWN_MARKER: &str = "key <> 'application_id'";

/// Rows read and written per statement.
const BATCH_ROWS: i64 = 500;

/// One table after the move: the same count and checksum on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: &'static str,
    pub rows: u64,
    /// SHA-256 over the rows in primary-key order, each value tagged with its type.
    pub checksum: String,
}

#[derive(Debug, Clone, Copy)]
enum ColumnType {
    Integer,
    Text,
    Blob,
}

struct Column {
    name: String,
    kind: ColumnType,
}

struct TableShape {
    columns: Vec<Column>,
    primary_key: Vec<String>,
}

impl TableShape {
    fn column_list(&self) -> String {
        self.columns.iter().map(|column| column.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// One value as both databases hold it.
enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// Copies every table from `source` into the empty `target` and verifies it, in one PostgreSQL
/// transaction. The SQLite side is read in one read transaction; stop the servers first.
pub async fn copy_sqlite_to_postgres(source: &SqlitePool, target: &PgPool) -> anyhow::Result<Vec<TableReport>> {
    let mut reader = source.begin().await.context("cannot read the SQLite database")?;
    let mut writer = target.begin().await.context("cannot write to the PostgreSQL database")?;
    check_tables_known(&mut reader).await?;
    check_target_empty(&mut writer).await?;
    let mut shapes = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let shape = table_shape(&mut reader, table).await?;
        copy_table(&mut reader, &mut writer, table, &shape).await.with_context(|| format!("copying {table}"))?;
        shapes.push(shape);
    }
    for table in super::sql::IDENTITY_TABLES {
        sqlx::query(&super::sql::move_identity_sql(table)).execute(&mut *writer).await?;
    }
    let mut reports = Vec::with_capacity(TABLES.len());
    for (table, shape) in TABLES.iter().zip(&shapes) {
        let (source_rows, source_checksum) = sqlite_checksum(&mut reader, table, shape).await?;
        let (target_rows, target_checksum) = postgres_checksum(&mut writer, table, shape).await?;
        if (source_rows, &source_checksum) != (target_rows, &target_checksum) {
            bail!(
                "{table} differs after the copy: SQLite {source_rows} rows ({source_checksum}), \
                 PostgreSQL {target_rows} rows ({target_checksum}); nothing was written"
            );
        }
        reports.push(TableReport { table, rows: source_rows, checksum: source_checksum });
    }
    writer.commit().await.context("cannot commit the copy")?;
    reader.commit().await?;
    Ok(reports)
}

/// Every table's row count and checksum in one SQLite database, in [`TABLES`] order, read in the
/// caller's transaction (or connection). The same checksum as the move to PostgreSQL compares;
/// `backup` and `restore` compare a copy with its source by it.
pub async fn sqlite_reports(reader: &mut SqliteConnection) -> anyhow::Result<Vec<TableReport>> {
    check_tables_known(reader).await?;
    let mut reports = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let shape = table_shape(reader, table).await?;
        let (rows, checksum) = sqlite_checksum(reader, table, &shape).await?;
        reports.push(TableReport { table, rows, checksum });
    }
    Ok(reports)
}

async fn check_tables_known(reader: &mut SqliteConnection) -> anyhow::Result<()> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *reader)
    .await?;
    // SQLite's FTS5 index of `directory_text` lives in tables of its own, derived from that
    // table (PostgreSQL's index is an index): rebuilt, never copied.
    let is_text_index = |name: &str| name.starts_with(DIRECTORY_TEXT_INDEX);
    if let Some(unknown) = names.iter().find(|name| !TABLES.contains(&name.as_str()) && !is_text_index(name)) {
        bail!("the SQLite database has a table {unknown} that this copy does not know; nothing was written");
    }
    Ok(())
}

async fn check_target_empty(writer: &mut PgConnection) -> anyhow::Result<()> {
    for table in TABLES {
        let filter = if *table == "app_meta" { format!(" WHERE {OWN_MARKER}") } else { String::new() };
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}{filter}")).fetch_one(&mut *writer).await?;
        if rows > 0 {
            bail!("the PostgreSQL database already holds portal data ({table} has {rows} rows); nothing was written");
        }
    }
    Ok(())
}

/// Columns with their declared types (the SQLite tables are STRICT) and the primary key.
async fn table_shape(reader: &mut SqliteConnection, table: &str) -> anyhow::Result<TableShape> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as(&format!("SELECT name, type, pk FROM pragma_table_info('{table}') ORDER BY cid"))
            .fetch_all(&mut *reader)
            .await?;
    let mut columns = Vec::with_capacity(rows.len());
    let mut key: Vec<(i64, String)> = Vec::new();
    for (name, declared, pk) in rows {
        let kind = match declared.to_ascii_uppercase().as_str() {
            "INTEGER" => ColumnType::Integer,
            "TEXT" => ColumnType::Text,
            "BLOB" => ColumnType::Blob,
            other => bail!("{table}.{name} has the type {other}, which this copy does not know"),
        };
        if pk > 0 {
            key.push((pk, name.clone()));
        }
        columns.push(Column { name, kind });
    }
    if columns.is_empty() {
        bail!("the SQLite database has no table {table}");
    }
    key.sort();
    let primary_key = if key.is_empty() {
        columns.iter().map(|column| column.name.clone()).collect()
    } else {
        key.into_iter().map(|(_, name)| name).collect()
    };
    Ok(TableShape { columns, primary_key })
}

fn sqlite_value(row: &SqliteRow, index: usize, kind: ColumnType) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        ColumnType::Integer => row.try_get::<Option<i64>, _>(index)?.map_or(Value::Null, Value::Integer),
        ColumnType::Text => row.try_get::<Option<String>, _>(index)?.map_or(Value::Null, Value::Text),
        ColumnType::Blob => row.try_get::<Option<Vec<u8>>, _>(index)?.map_or(Value::Null, Value::Blob),
    })
}

fn postgres_value(row: &PgRow, index: usize, kind: ColumnType) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        ColumnType::Integer => row.try_get::<Option<i64>, _>(index)?.map_or(Value::Null, Value::Integer),
        ColumnType::Text => row.try_get::<Option<String>, _>(index)?.map_or(Value::Null, Value::Text),
        ColumnType::Blob => row.try_get::<Option<Vec<u8>>, _>(index)?.map_or(Value::Null, Value::Blob),
    })
}

/// Copies the table in batches, in SQLite's rowid order.
async fn copy_table(
    reader: &mut SqliteConnection,
    writer: &mut PgConnection,
    table: &str,
    shape: &TableShape,
) -> anyhow::Result<()> {
    let columns = shape.column_list();
    let mut after_rowid = i64::MIN;
    loop {
        let rows: Vec<SqliteRow> = sqlx::query(&format!(
            "SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT {BATCH_ROWS}"
        ))
        .bind(after_rowid)
        .fetch_all(&mut *reader)
        .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after_rowid = last.try_get(0)?;
        let mut insert = QueryBuilder::<Postgres>::new(format!("INSERT INTO {table} ({columns}) "));
        let mut failure = None;
        insert.push_values(&rows, |mut values, row| {
            for (index, column) in shape.columns.iter().enumerate() {
                match sqlite_value(row, index + 1, column.kind) {
                    Ok(Value::Null) => values.push("NULL"),
                    Ok(Value::Integer(number)) => values.push_bind(number),
                    Ok(Value::Text(text)) => values.push_bind(text),
                    Ok(Value::Blob(bytes)) => values.push_bind(bytes),
                    Err(error) => {
                        failure.get_or_insert(error);
                        values.push("NULL")
                    }
                };
            }
        });
        if let Some(error) = failure {
            return Err(error.into());
        }
        insert.build().execute(&mut *writer).await?;
    }
}

/// Hashes one row: each value tagged with its type and, for text and bytes, its length.
fn hash_row(hasher: &mut Sha256, values: impl Iterator<Item = Value>) {
    let mut line = String::new();
    for value in values {
        match value {
            Value::Null => line.push_str("N;"),
            Value::Integer(number) => {
                let _ = write!(line, "I{number};");
            }
            Value::Text(text) => {
                let _ = write!(line, "T{}:{text};", text.len());
            }
            Value::Blob(bytes) => {
                let _ = write!(line, "B{}:", bytes.len());
                for byte in bytes {
                    let _ = write!(line, "{byte:02x}");
                }
                line.push(';');
            }
        }
    }
    line.push('\n');
    hasher.update(line.as_bytes());
}

fn checksum_select(table: &str, shape: &TableShape) -> String {
    let filter = if table == "app_meta" { format!(" WHERE {OWN_MARKER}") } else { String::new() };
    format!("SELECT {} FROM {table}{filter} ORDER BY {}", shape.column_list(), shape.primary_key.join(", "))
}

async fn sqlite_checksum(
    reader: &mut SqliteConnection,
    table: &str,
    shape: &TableShape,
) -> anyhow::Result<(u64, String)> {
    let rows: Vec<SqliteRow> = sqlx::query(&checksum_select(table, shape)).fetch_all(&mut *reader).await?;
    let mut hasher = Sha256::new();
    for row in &rows {
        let values = shape
            .columns
            .iter()
            .enumerate()
            .map(|(index, column)| sqlite_value(row, index, column.kind))
            .collect::<Result<Vec<_>, _>>()?;
        hash_row(&mut hasher, values.into_iter());
    }
    Ok((rows.len() as u64, hex(&hasher.finalize())))
}

async fn postgres_checksum(
    connection: &mut PgConnection,
    table: &str,
    shape: &TableShape,
) -> anyhow::Result<(u64, String)> {
    let rows: Vec<PgRow> = sqlx::query(&checksum_select(table, shape)).fetch_all(&mut *connection).await?;
    let mut hasher = Sha256::new();
    for row in &rows {
        let values = shape
            .columns
            .iter()
            .enumerate()
            .map(|(index, column)| postgres_value(row, index, column.kind))
            .collect::<Result<Vec<_>, _>>()?;
        hash_row(&mut hasher, values.into_iter());
    }
    Ok((rows.len() as u64, hex(&hasher.finalize())))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}
