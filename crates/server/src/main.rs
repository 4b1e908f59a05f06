//! The server binary: parse settings, start logging, run until SIGTERM or Ctrl-C; or run one of
//! the maintenance commands (`migrate-to-postgres`, `backup`, `restore`).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use planning_server::config::{DatabaseUrl, Settings};
use planning_server::store::transfer::{self, TableReport};
use planning_server::{backup, db, seed_scale, startup::Application, telemetry};

#[derive(Debug, Parser)]
#[command(name = "planning-server", about = "Planning Services voucher portal server")]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Copy a deployment's SQLite database into an empty PostgreSQL database, then compare every
    /// table's row count and checksum on both sides; nothing is written unless all match. Stop
    /// the server first. Uploaded deliverables stay in the data directory: keep serving it.
    MigrateToPostgres {
        /// The data directory holding `portal.sqlite3`.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL database to fill (it must exist; the schema is created if missing).
        #[arg(long, hide_env_values = true)]
        to: DatabaseUrl,
    },
    /// Benchmark data: on top of the demo data, `--partners` partner and `--customers` customer
    /// organizations and `--vouchers` vouchers in every state, consistent with `--program-date`
    /// (today when absent). Into the database the server options name (--data-dir or
    /// --database-url); refuses one that already holds generated data.
    Generate {
        #[arg(long, default_value_t = 1_000_000)]
        vouchers: u64,
        #[arg(long, default_value_t = 10_000)]
        partners: u64,
        #[arg(long, default_value_t = 10_000)]
        customers: u64,
        /// The first customer's share goes to the demo customer Northwind Traders instead, so its
        /// benefit administrator (benefits@northwind.example) sees them.
        #[arg(long)]
        demo_customer_first: bool,
    },
    /// Back up a SQLite deployment while its server runs: a consistent snapshot of the database
    /// (SQLite's `VACUUM INTO`) and the deliverables it names, into a new directory laid out like
    /// a data directory. Prints every table's row count and checksum.
    Backup {
        /// The data directory holding `portal.sqlite3`.
        #[arg(long, env = "PORTAL_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// The backup directory to create (it must be new or empty).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into a data directory without a database, then compare every table's
    /// row count and checksum with the backup's; fails on any difference.
    Restore {
        /// A directory written by `backup`.
        #[arg(long)]
        from: PathBuf,
        /// The data directory to fill (it must hold no `portal.sqlite3`).
        #[arg(long, env = "PORTAL_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    telemetry::init(cli.settings.log_format);
    let result = match cli.command {
        Some(Command::MigrateToPostgres { from, to }) => migrate_to_postgres(&from, &to).await,
        Some(Command::Generate { vouchers, partners, customers, demo_customer_first }) => {
            let spec = seed_scale::ScaleSpec {
                vouchers,
                partners,
                customers,
                demo_customer_first,
                program_date: cli.settings.program_date.unwrap_or_else(|| chrono::Utc::now().date_naive()),
            };
            generate(&cli.settings, spec).await
        }
        Some(Command::Backup { data_dir, to }) => back_up(&data_dir, &to).await,
        Some(Command::Restore { from, data_dir }) => restore(&from, &data_dir).await,
        None => serve(cli.settings).await,
    };
    if let Err(error) = result {
        // One line a person can act on, then a non-zero exit.
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let application = Application::build(settings).await?;
    application.print_banner();
    application.run_until_stopped().await
}

async fn generate(settings: &Settings, spec: seed_scale::ScaleSpec) -> anyhow::Result<()> {
    let started = Instant::now();
    let timeline = planning_server::startup::load_timeline(&settings.program_config)?;
    let store = db::open_store(&settings.data_dir, settings.database_url.as_ref()).await?;
    let written = seed_scale::generate(store.as_ref(), &timeline, &settings.data_dir.join("documents"), spec).await?;
    println!(
        "Generated {} partners, {} customers and {written} vouchers (program date {}) in {:.1} s",
        spec.partners,
        spec.customers,
        spec.program_date,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn migrate_to_postgres(from: &std::path::Path, to: &DatabaseUrl) -> anyhow::Result<()> {
    let started = Instant::now();
    let file = from.join("portal.sqlite3");
    if !file.is_file() {
        bail!("{} does not exist; --from names the data directory of the SQLite deployment", file.display());
    }
    let source = db::open(from).await?;
    let target = db::open_postgres(to).await?;
    let reports = transfer::copy_sqlite_to_postgres(&source, &target)
        .await
        .with_context(|| format!("cannot move {} to {}", file.display(), to.redacted()))?;
    println!("Moved {} to {}; every table verified:", file.display(), to.redacted());
    print_tables(&reports, "sha256 (same on both sides)");
    let total: u64 = reports.iter().map(|report| report.rows).sum();
    println!("{total} rows in {} tables, {:.2} s", reports.len(), started.elapsed().as_secs_f64());
    println!("Uploaded deliverables stay in {}: run the servers with --data-dir pointing at it.", from.display());
    Ok(())
}

fn print_tables(reports: &[TableReport], checksum_heading: &str) {
    println!("  {:<26} {:>8}  {checksum_heading}", "table", "rows");
    for report in reports {
        println!("  {:<26} {:>8}  {}", report.table, report.rows, report.checksum);
    }
}

fn print_copy(report: &backup::CopyReport, started: Instant) {
    let rows: u64 = report.tables.iter().map(|table| table.rows).sum();
    println!(
        "{rows} rows in {} tables ({} bytes), {} deliverables ({} bytes), {:.2} s",
        report.tables.len(),
        report.database_bytes,
        report.documents,
        report.document_bytes,
        started.elapsed().as_secs_f64()
    );
}

async fn back_up(data_dir: &std::path::Path, to: &std::path::Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let report = backup::backup(data_dir, to).await?;
    println!("Backed up {} to {} (integrity checked):", data_dir.display(), to.display());
    print_tables(&report.tables, "sha256");
    print_copy(&report, started);
    Ok(())
}

async fn restore(from: &std::path::Path, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let report = backup::restore(from, data_dir).await?;
    println!("Restored {} into {}; every table verified against the backup:", from.display(), data_dir.display());
    print_tables(&report.tables, "sha256 (same in the backup)");
    print_copy(&report, started);
    Ok(())
}
