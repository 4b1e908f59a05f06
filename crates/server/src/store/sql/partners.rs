//! Partner program data, business profiles and the directory.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::account::OrganizationKind;
use planning_domain::api::partners::{
    BusinessProfile, ConsultantRecord, EarnedCompetency, PartnerLocationRecord, PartnerProgram, PublicLocation,
    PublicPartnerProfile,
};
use planning_domain::api::vouchers::AuditLine;
use planning_domain::api::Organization;
use planning_domain::eligibility::{HeldCompetency, PassedExam, SignedAgreement};
use planning_domain::profile::{ProfileError, TagKind};
use planning_domain::qualification::{CompetencyRecord, ExamRecord, QualificationChange, QualificationHistory};
use planning_domain::{CompetencyId, CountryCode, LocalizedText, LocationId, OfferingCode, PartnerProfile};
use sqlx::AnyConnection;

use super::{
    insert_audit, name_of, parse_name, parse_time, read_audit, sortable_time, to_json, AuditRow, Dialect, SqlBuilder,
    SqlStore,
};
use crate::store::partners::{
    DirectoryFilter, EnrollmentRule, NewConsultantRecord, NewPartnerLocation, PartnerStore, ProfileFields,
    RecordsChange, SeedPartnerProgram,
};
use crate::store::{StoreError, StoreResult};

/// Reads a `YYYY-MM-DD` date written by this store.
fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|error| StoreError::Corrupt(format!("date {text:?}: {error}")))
}

fn parse_location_id(text: &str) -> StoreResult<LocationId> {
    LocationId::parse(text).map_err(|_| StoreError::Corrupt(format!("location id {text:?}")))
}

fn parse_country(text: &str) -> StoreResult<CountryCode> {
    CountryCode::parse(text).map_err(|_| StoreError::Corrupt(format!("country {text:?}")))
}

/// Unique and foreign-key violations are conflicts the handler explains; the rest are failures.
fn conflict_or_failure(error: sqlx::Error, what: &'static str) -> StoreError {
    match &error {
        sqlx::Error::Database(database) if database.is_unique_violation() || database.is_foreign_key_violation() => {
            StoreError::Conflict(what)
        }
        _ => StoreError::Database(error),
    }
}

/// Every row of a partner's program in one statement (one round trip, one snapshot): the part
/// it belongs to, then up to four columns as text, as [`load_program`] reads them.
const PROGRAM_SELECT: &str = "\
    SELECT 'organization' AS part, name AS a, CAST(NULL AS TEXT) AS b, CAST(NULL AS TEXT) AS c, \
           CAST(NULL AS TEXT) AS d FROM organizations WHERE id = $1 AND kind = 'partner' \
    UNION ALL SELECT 'program', CAST(agreement_version AS TEXT), agreement_signed_on, renewal_due_on, \
           CAST(compliance_training_completed AS TEXT) FROM partner_programs WHERE organization_id = $1 \
    UNION ALL SELECT 'offering', offering, NULL, NULL, NULL FROM partner_enrollments WHERE organization_id = $1 \
    UNION ALL SELECT 'competency', competency, level, expires_on, NULL \
           FROM partner_competencies WHERE organization_id = $1 \
    UNION ALL SELECT 'location', location_id, country, city, NULL FROM partner_locations WHERE organization_id = $1 \
    UNION ALL SELECT 'consultant', CAST(id AS TEXT), display_name, email, CAST(user_id AS TEXT) \
           FROM consultants WHERE organization_id = $1 \
    UNION ALL SELECT 'exam', CAST(e.consultant_id AS TEXT), e.exam, e.counts_toward, NULL \
           FROM consultant_exams e JOIN consultants c ON c.id = e.consultant_id WHERE c.organization_id = $1";

type ProgramPart = (String, Option<String>, Option<String>, Option<String>, Option<String>);

/// A column of [`PROGRAM_SELECT`] that its part always fills.
fn required(column: Option<String>, part: &str) -> StoreResult<String> {
    column.ok_or_else(|| StoreError::Corrupt(format!("partner program {part} row without a value")))
}

fn parse_id(text: &str) -> StoreResult<i64> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("id {text:?}")))
}

/// The whole program of a partner, read by one statement on `connection` (so also inside the
/// caller's transaction); `None` when the organization is not a partner. Rows are put in order
/// here, bytewise as the text columns sort on both databases.
async fn load_program(connection: &mut AnyConnection, partner_id: i64) -> StoreResult<Option<PartnerProgram>> {
    let rows: Vec<ProgramPart> = sqlx::query_as(PROGRAM_SELECT).bind(partner_id).fetch_all(&mut *connection).await?;
    let mut name = None;
    let (mut agreement, mut renewal_due_on, mut compliance_training_completed) = (None, None, false);
    let mut enrolled_offerings = Vec::new();
    let mut competencies = Vec::new();
    let mut locations = Vec::new();
    let mut consultants: Vec<ConsultantRecord> = Vec::new();
    let mut exams = Vec::new();
    for (part, a, b, c, d) in rows {
        match part.as_str() {
            "organization" => name = Some(required(a, &part)?),
            "program" => {
                agreement = match (a, b) {
                    (Some(version), Some(signed_on)) => Some(SignedAgreement {
                        version: version
                            .parse()
                            .map_err(|_| StoreError::Corrupt(format!("agreement version {version}")))?,
                        signed_on: parse_day(&signed_on)?,
                    }),
                    _ => None,
                };
                renewal_due_on = c.as_deref().map(parse_day).transpose()?;
                compliance_training_completed = d.as_deref().is_some_and(|completed| completed != "0");
            }
            "offering" => enrolled_offerings.push(parse_name::<OfferingCode>(&required(a, &part)?)?),
            "competency" => competencies.push(HeldCompetency {
                competency: parse_name(&required(a, &part)?)?,
                level: parse_name(&required(b, &part)?)?,
                expires_on: parse_day(&required(c, &part)?)?,
            }),
            "location" => locations.push(PartnerLocationRecord {
                location_id: parse_location_id(&required(a, &part)?)?,
                country: parse_country(&required(b, &part)?)?,
                city: required(c, &part)?,
            }),
            "consultant" => consultants.push(ConsultantRecord {
                consultant_id: parse_id(&required(a, &part)?)?,
                display_name: required(b, &part)?,
                email: required(c, &part)?,
                user_id: d.as_deref().map(parse_id).transpose()?,
                passed_exams: Vec::new(),
            }),
            "exam" => exams.push((parse_id(&required(a, &part)?)?, required(b, &part)?, required(c, &part)?)),
            other => return Err(StoreError::Corrupt(format!("partner program part {other:?}"))),
        }
    }
    let Some(name) = name else { return Ok(None) };
    enrolled_offerings.sort();
    competencies.sort_by_key(|held| held.competency);
    locations.sort_by(|one, other| one.location_id.as_str().cmp(other.location_id.as_str()));
    consultants.sort_by(|one, other| {
        (one.display_name.as_str(), one.consultant_id).cmp(&(other.display_name.as_str(), other.consultant_id))
    });
    exams.sort_by(|one, other| one.1.cmp(&other.1));
    for (consultant_id, exam, counts_toward) in exams {
        if let Some(consultant) = consultants.iter_mut().find(|consultant| consultant.consultant_id == consultant_id) {
            consultant.passed_exams.push(PassedExam { exam, counts_toward: parse_name(&counts_toward)? });
        }
    }
    Ok(Some(PartnerProgram {
        partner_id,
        name,
        agreement,
        renewal_due_on,
        compliance_training_completed,
        enrolled_offerings,
        competencies,
        locations,
        consultants,
    }))
}

/// The partner's offerings in catalog order.
async fn enrolled_offerings(connection: &mut AnyConnection, partner_id: i64) -> StoreResult<Vec<OfferingCode>> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT offering FROM partner_enrollments WHERE organization_id = $1")
        .bind(partner_id)
        .fetch_all(&mut *connection)
        .await?;
    let mut offerings = rows.iter().map(|offering| parse_name(offering)).collect::<StoreResult<Vec<OfferingCode>>>()?;
    offerings.sort();
    Ok(offerings)
}

/// Locks the partner's organization row until the transaction ends. Every write to a partner's
/// program takes it first, and an enrollment takes it before reading the program it checks, so
/// no edit slips between that check and the write. On PostgreSQL `FOR NO KEY UPDATE` leaves
/// foreign-key checks of other tables' inserts unblocked; SQLite's write transaction already
/// holds the database's one write lock (`SqlStore::begin_write`), so there is nothing to take.
async fn lock_partner(connection: &mut AnyConnection, dialect: Dialect, partner_id: i64) -> StoreResult<()> {
    if dialect == Dialect::Postgres {
        sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE")
            .bind(partner_id)
            .fetch_optional(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Creates the program row if missing and stamps it.
async fn touch_program(connection: &mut AnyConnection, partner_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO partner_programs (organization_id, updated_at) VALUES ($1, $2) \
         ON CONFLICT (organization_id) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(partner_id)
    .bind(now.to_rfc3339())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

async fn insert_location(
    connection: &mut AnyConnection,
    partner_id: i64,
    location: &NewPartnerLocation,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO partner_locations (location_id, organization_id, country, city, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(location.location_id.as_str())
    .bind(partner_id)
    .bind(location.country.as_str())
    .bind(&location.city)
    .bind(now.to_rfc3339())
    .execute(&mut *connection)
    .await
    .map_err(|error| conflict_or_failure(error, "location_id"))?;
    Ok(())
}

async fn insert_consultant(
    connection: &mut AnyConnection,
    partner_id: i64,
    consultant: &NewConsultantRecord,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO consultants (organization_id, user_id, display_name, email, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(partner_id)
    .bind(consultant.user_id)
    .bind(&consultant.display_name)
    .bind(&consultant.email)
    .bind(now.to_rfc3339())
    .fetch_one(&mut *connection)
    .await
    .map_err(|error| conflict_or_failure(error, "consultant"))
}

async fn upsert_competency(
    connection: &mut AnyConnection,
    partner_id: i64,
    competency: &HeldCompetency,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO partner_competencies (organization_id, competency, level, expires_on) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organization_id, competency) DO UPDATE SET level = excluded.level, expires_on = excluded.expires_on",
    )
    .bind(partner_id)
    .bind(name_of(&competency.competency))
    .bind(name_of(&competency.level))
    .bind(competency.expires_on.to_string())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The partner's current record of `competency`, if any.
async fn held_competency(
    connection: &mut AnyConnection,
    partner_id: i64,
    competency: CompetencyId,
) -> StoreResult<Option<HeldCompetency>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT level, expires_on FROM partner_competencies WHERE organization_id = $1 AND competency = $2",
    )
    .bind(partner_id)
    .bind(name_of(&competency))
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|(level, expires_on)| {
        Ok(HeldCompetency { competency, level: parse_name(&level)?, expires_on: parse_day(&expires_on)? })
    })
    .transpose()
}

/// The audit log's subject of a partner's competency and exam records.
const RECORDS_SUBJECT: &str = "partner_records";

/// Ends the current version of a competency's history on `day`: a version that began on `day`
/// (or later) was never in force and is deleted; an older one is closed.
async fn end_competency_version(
    connection: &mut AnyConnection,
    partner_id: i64,
    competency: CompetencyId,
    day: NaiveDate,
) -> StoreResult<()> {
    let (name, day) = (name_of(&competency), day.to_string());
    sqlx::query(
        "DELETE FROM partner_competency_history WHERE organization_id = $1 AND competency = $2 \
         AND valid_until IS NULL AND valid_from >= $3",
    )
    .bind(partner_id)
    .bind(&name)
    .bind(&day)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE partner_competency_history SET valid_until = $3 WHERE organization_id = $1 AND competency = $2 \
         AND valid_until IS NULL",
    )
    .bind(partner_id)
    .bind(&name)
    .bind(&day)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

async fn start_competency_version(
    connection: &mut AnyConnection,
    partner_id: i64,
    competency: &HeldCompetency,
    day: NaiveDate,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO partner_competency_history (organization_id, competency, level, expires_on, valid_from) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(partner_id)
    .bind(name_of(&competency.competency))
    .bind(name_of(&competency.level))
    .bind(competency.expires_on.to_string())
    .bind(day.to_string())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// As [`end_competency_version`], for one consultant's exam.
async fn end_exam_version(
    connection: &mut AnyConnection,
    consultant_id: i64,
    exam: &str,
    day: NaiveDate,
) -> StoreResult<()> {
    let day = day.to_string();
    sqlx::query(
        "DELETE FROM consultant_exam_history WHERE consultant_id = $1 AND exam = $2 AND valid_until IS NULL \
         AND valid_from >= $3",
    )
    .bind(consultant_id)
    .bind(exam)
    .bind(&day)
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "UPDATE consultant_exam_history SET valid_until = $3 WHERE consultant_id = $1 AND exam = $2 \
         AND valid_until IS NULL",
    )
    .bind(consultant_id)
    .bind(exam)
    .bind(&day)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

async fn start_exam_version(
    connection: &mut AnyConnection,
    consultant_id: i64,
    exam: &PassedExam,
    day: NaiveDate,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO consultant_exam_history (consultant_id, exam, counts_toward, valid_from) VALUES ($1, $2, $3, $4)",
    )
    .bind(consultant_id)
    .bind(&exam.exam)
    .bind(name_of(&exam.counts_toward))
    .bind(day.to_string())
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Appends the audit row of one change of the partner's records.
async fn audit_records_change(
    connection: &mut AnyConnection,
    partner_id: i64,
    change: &RecordsChange,
    event: &QualificationChange,
) -> StoreResult<()> {
    let subject_id = partner_id.to_string();
    let at = sortable_time(change.now);
    let row = AuditRow {
        subject_kind: RECORDS_SUBJECT,
        subject_id: &subject_id,
        actor_user_id: change.actor_user_id,
        actor_name: &change.actor_name,
        event_json: to_json(event)?,
        from_status: None,
        to_status: event.kind().to_owned(),
        program_date: change.program_date,
        at: &at,
    };
    insert_audit(connection, row).await
}

/// A consultant's name, if the consultant is the partner's.
async fn consultant_name(
    connection: &mut AnyConnection,
    partner_id: i64,
    consultant_id: i64,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT display_name FROM consultants WHERE id = $1 AND organization_id = $2")
        .bind(consultant_id)
        .bind(partner_id)
        .fetch_optional(&mut *connection)
        .await?)
}

/// Rewrites the partner's searchable directory text from its name and tags (migration 0009:
/// lower-cased, one per line), after its profile or tags changed.
async fn write_directory_text(connection: &mut AnyConnection, partner_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM directory_text WHERE organization_id = $1")
        .bind(partner_id)
        .execute(&mut *connection)
        .await?;
    sqlx::query(
        "INSERT INTO directory_text (organization_id, text) \
         SELECT b.organization_id, lower(o.name) || '\n' || coalesce((SELECT string_agg(lower(t.tag), '\n') \
         FROM business_profile_tags t WHERE t.organization_id = b.organization_id), '') \
         FROM business_profiles b JOIN organizations o ON o.id = b.organization_id WHERE b.organization_id = $1",
    )
    .bind(partner_id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Writes the profile row first (locking it), then replaces its tags and its directory text.
async fn write_business_profile(
    connection: &mut AnyConnection,
    partner_id: i64,
    profile: &ProfileFields,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO business_profiles (organization_id, country, description, website, linkedin_page, \
         target_customer_size, allow_endorsement, published, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (organization_id) DO UPDATE SET country = excluded.country, \
         description = excluded.description, website = excluded.website, linkedin_page = excluded.linkedin_page, \
         target_customer_size = excluded.target_customer_size, allow_endorsement = excluded.allow_endorsement, \
         published = excluded.published, updated_at = excluded.updated_at",
    )
    .bind(partner_id)
    .bind(profile.country.as_str())
    .bind(&profile.description)
    .bind(&profile.website)
    .bind(&profile.linkedin_page)
    .bind(name_of(&profile.target_customer_size))
    .bind(i64::from(profile.allow_endorsement))
    .bind(i64::from(profile.published))
    .bind(now.to_rfc3339())
    .execute(&mut *connection)
    .await?;
    sqlx::query("DELETE FROM business_profile_tags WHERE organization_id = $1")
        .bind(partner_id)
        .execute(&mut *connection)
        .await?;
    let kinds = [
        (TagKind::Industry, &profile.industries),
        (TagKind::Product, &profile.products),
        (TagKind::ServiceType, &profile.service_types),
    ];
    for (kind, tags) in kinds {
        for (position, tag) in tags.iter().enumerate() {
            sqlx::query(
                "INSERT INTO business_profile_tags (organization_id, kind, position, tag) VALUES ($1, $2, $3, $4)",
            )
            .bind(partner_id)
            .bind(name_of(&kind))
            .bind(position as i64)
            .bind(tag)
            .execute(&mut *connection)
            .await?;
        }
    }
    write_directory_text(connection, partner_id).await
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    organization_id: i64,
    name: String,
    country: String,
    description: String,
    website: String,
    linkedin_page: Option<String>,
    target_customer_size: String,
    allow_endorsement: i64,
    published: i64,
    updated_at: String,
}

const PROFILE_COLUMNS: &str = "b.organization_id, o.name, b.country, b.description, b.website, b.linkedin_page, \
     b.target_customer_size, b.allow_endorsement, b.published, b.updated_at";

/// Industries, products and service types, each in the order entered.
async fn profile_tags(
    connection: &mut AnyConnection,
    partner_id: i64,
) -> StoreResult<(Vec<String>, Vec<String>, Vec<String>)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, tag FROM business_profile_tags WHERE organization_id = $1 ORDER BY kind, position",
    )
    .bind(partner_id)
    .fetch_all(&mut *connection)
    .await?;
    let (mut industries, mut products, mut service_types) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, tag) in rows {
        match parse_name::<TagKind>(&kind)? {
            TagKind::Industry => industries.push(tag),
            TagKind::Product => products.push(tag),
            TagKind::ServiceType => service_types.push(tag),
        }
    }
    Ok((industries, products, service_types))
}

async fn load_business_profile(
    connection: &mut AnyConnection,
    partner_id: i64,
) -> StoreResult<Option<BusinessProfile>> {
    let row: Option<ProfileRow> = sqlx::query_as(&format!(
        "SELECT {PROFILE_COLUMNS} FROM business_profiles b JOIN organizations o ON o.id = b.organization_id \
         WHERE b.organization_id = $1"
    ))
    .bind(partner_id)
    .fetch_optional(&mut *connection)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (industries, products, service_types) = profile_tags(connection, partner_id).await?;
    Ok(Some(BusinessProfile {
        partner_id: row.organization_id,
        name: row.name,
        country: parse_country(&row.country)?,
        description: row.description,
        website: row.website,
        linkedin_page: row.linkedin_page,
        industries,
        products,
        service_types,
        target_customer_size: parse_name(&row.target_customer_size)?,
        allow_endorsement: row.allow_endorsement != 0,
        published: row.published != 0,
        updated_at: parse_time(&row.updated_at)?,
    }))
}

/// A published profile with its earned tags on `today`; `None` when unknown or unpublished.
async fn load_public_profile(
    connection: &mut AnyConnection,
    partner_id: i64,
    today: NaiveDate,
) -> StoreResult<Option<PublicPartnerProfile>> {
    let Some(profile) = load_business_profile(connection, partner_id).await? else { return Ok(None) };
    if !profile.published {
        return Ok(None);
    }
    let competency_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT competency, level FROM partner_competencies WHERE organization_id = $1 AND expires_on >= $2",
    )
    .bind(partner_id)
    .bind(today.to_string())
    .fetch_all(&mut *connection)
    .await?;
    let mut competencies = competency_rows
        .iter()
        .map(|(competency, level)| {
            Ok(EarnedCompetency { competency: parse_name(competency)?, level: parse_name(level)? })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    competencies.sort_by_key(|earned| earned.competency);
    let location_rows: Vec<(String, String)> =
        sqlx::query_as("SELECT country, city FROM partner_locations WHERE organization_id = $1 ORDER BY country, city")
            .bind(partner_id)
            .fetch_all(&mut *connection)
            .await?;
    let locations = location_rows
        .into_iter()
        .map(|(country, city)| Ok(PublicLocation { country: parse_country(&country)?, city }))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(PublicPartnerProfile {
        partner_id: profile.partner_id,
        name: profile.name,
        country: profile.country,
        description: profile.description,
        website: profile.website,
        linkedin_page: profile.linkedin_page,
        industries: profile.industries,
        products: profile.products,
        service_types: profile.service_types,
        target_customer_size: profile.target_customer_size,
        competencies,
        offerings: enrolled_offerings(connection, partner_id).await?,
        locations,
    }))
}

/// `LIKE` pattern matching `word` anywhere, with the pattern characters escaped.
fn contains_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The `FROM … WHERE …` of a directory search. Every word must appear in the name or in some
/// tag: in the profile's `directory_text` (migration 0009), which holds them lower-cased (SQL
/// `lower` folds ASCII only, so non-ASCII text matches as typed, the same on SQLite and
/// PostgreSQL). A word of three or more characters is looked up in the trigram index, which
/// each database spells its own way: FTS5's `MATCH` of the word as a phrase on SQLite,
/// `LIKE '%word%'` (which pg_trgm's index serves) on PostgreSQL. Shorter words scan the text.
fn push_directory_filter<'a>(
    builder: &mut SqlBuilder<'a>,
    dialect: Dialect,
    filter: &'a DirectoryFilter,
    today: NaiveDate,
) {
    builder.push(
        " FROM business_profiles b JOIN organizations o ON o.id = b.organization_id \
         WHERE b.published = 1 AND o.kind = 'partner'",
    );
    if let Some(country) = &filter.country {
        builder.push(" AND b.country = ").push_bind(country.as_str());
    }
    if let Some(offering) = &filter.offering {
        builder
            .push(" AND EXISTS (SELECT 1 FROM partner_enrollments e WHERE e.organization_id = b.organization_id AND e.offering = ")
            .push_bind(name_of(offering))
            .push(")");
    }
    if let Some(competency) = &filter.competency {
        builder
            .push(
                " AND EXISTS (SELECT 1 FROM partner_competencies c WHERE c.organization_id = b.organization_id \
                 AND c.competency = ",
            )
            .push_bind(name_of(competency))
            .push(" AND c.expires_on >= ")
            .push_bind(today.to_string())
            .push(")");
    }
    for word in filter.text.iter().flat_map(|text| text.split_whitespace()) {
        let word = word.to_lowercase();
        if dialect == Dialect::Sqlite && word.chars().count() >= 3 {
            // An FTS5 string: the word as one phrase, its double quotes doubled.
            builder
                .push(" AND b.organization_id IN (SELECT rowid FROM directory_text_index WHERE directory_text_index MATCH ")
                .push_bind(format!("\"{}\"", word.replace('"', "\"\"")))
                .push(")");
        } else {
            builder
                .push(" AND b.organization_id IN (SELECT organization_id FROM directory_text WHERE text LIKE ")
                .push_bind(contains_pattern(&word))
                .push(" ESCAPE '\\')");
        }
    }
}

#[async_trait]
impl PartnerStore for SqlStore {
    async fn partner_profile(&self, partner_id: i64) -> StoreResult<Option<PartnerProfile>> {
        Ok(self.partner_program(partner_id).await?.map(|program| program.eligibility_profile()))
    }

    async fn partner_program(&self, partner_id: i64) -> StoreResult<Option<PartnerProgram>> {
        let mut connection = self.pool.acquire().await?;
        load_program(&mut connection, partner_id).await
    }

    async fn sign_agreement(
        &self,
        partner_id: i64,
        agreement: SignedAgreement,
        renewal_due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        sqlx::query(
            "INSERT INTO partner_programs (organization_id, agreement_version, agreement_signed_on, renewal_due_on, \
             updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id) DO UPDATE SET \
             agreement_version = excluded.agreement_version, agreement_signed_on = excluded.agreement_signed_on, \
             renewal_due_on = coalesce(partner_programs.renewal_due_on, excluded.renewal_due_on), \
             updated_at = excluded.updated_at",
        )
        .bind(partner_id)
        .bind(i64::from(agreement.version))
        .bind(agreement.signed_on.to_string())
        .bind(renewal_due_on.to_string())
        .bind(now.to_rfc3339())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn renew_membership(
        &self,
        partner_id: i64,
        renewal_due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let updated = sqlx::query(
            "UPDATE partner_programs SET renewal_due_on = $1, updated_at = $2 \
             WHERE organization_id = $3 AND agreement_version IS NOT NULL",
        )
        .bind(renewal_due_on.to_string())
        .bind(now.to_rfc3339())
        .bind(partner_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(updated.rows_affected() > 0)
    }

    async fn complete_compliance_training(&self, partner_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        sqlx::query(
            "INSERT INTO partner_programs (organization_id, compliance_training_completed, updated_at) \
             VALUES ($1, 1, $2) ON CONFLICT (organization_id) DO UPDATE SET compliance_training_completed = 1, \
             updated_at = excluded.updated_at",
        )
        .bind(partner_id)
        .bind(now.to_rfc3339())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn enroll_in_offering(
        &self,
        partner_id: i64,
        offering: OfferingCode,
        enrolled_on: NaiveDate,
        now: DateTime<Utc>,
        rule: EnrollmentRule<'_>,
    ) -> StoreResult<Result<(), ProfileError>> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        touch_program(&mut transaction, partner_id, now).await?;
        let program = load_program(&mut transaction, partner_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("organization {partner_id} is not a partner")))?;
        if let Err(refusal) = rule(&program.eligibility_profile()) {
            return Ok(Err(refusal));
        }
        sqlx::query("INSERT INTO partner_enrollments (organization_id, offering, enrolled_on) VALUES ($1, $2, $3)")
            .bind(partner_id)
            .bind(name_of(&offering))
            .bind(enrolled_on.to_string())
            .execute(&mut *transaction)
            .await
            .map_err(|error| conflict_or_failure(error, "enrollment"))?;
        transaction.commit().await?;
        Ok(Ok(()))
    }

    async fn withdraw_from_offering(&self, partner_id: i64, offering: OfferingCode) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let deleted = sqlx::query("DELETE FROM partner_enrollments WHERE organization_id = $1 AND offering = $2")
            .bind(partner_id)
            .bind(name_of(&offering))
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn find_partners(&self, name: &str, limit: u32) -> StoreResult<Vec<Organization>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM organizations WHERE kind = 'partner' AND lower(name) LIKE $1 ESCAPE '\\' \
             ORDER BY name, id LIMIT $2",
        )
        .bind(contains_pattern(&name.trim().to_lowercase()))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id, name)| Organization { id, name, kind: OrganizationKind::Partner }).collect())
    }

    async fn qualification_history(&self, partner_id: i64) -> StoreResult<QualificationHistory> {
        let mut reads = self.begin_read().await?;
        let competency_rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT competency, level, expires_on, valid_from, valid_until FROM partner_competency_history \
             WHERE organization_id = $1 ORDER BY competency, valid_from, id",
        )
        .bind(partner_id)
        .fetch_all(&mut *reads)
        .await?;
        let exam_rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT h.consultant_id, h.exam, h.counts_toward, h.valid_from, h.valid_until \
             FROM consultant_exam_history h JOIN consultants c ON c.id = h.consultant_id \
             WHERE c.organization_id = $1 ORDER BY h.consultant_id, h.exam, h.valid_from, h.id",
        )
        .bind(partner_id)
        .fetch_all(&mut *reads)
        .await?;
        reads.finish().await?;
        let competencies = competency_rows
            .into_iter()
            .map(|(competency, level, expires_on, valid_from, valid_until)| {
                Ok(CompetencyRecord {
                    competency: parse_name(&competency)?,
                    level: parse_name(&level)?,
                    expires_on: parse_day(&expires_on)?,
                    valid_from: parse_day(&valid_from)?,
                    valid_until: valid_until.as_deref().map(parse_day).transpose()?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let exams = exam_rows
            .into_iter()
            .map(|(consultant_id, exam, counts_toward, valid_from, valid_until)| {
                Ok(ExamRecord {
                    consultant_id: consultant_id.to_string(),
                    exam,
                    counts_toward: parse_name(&counts_toward)?,
                    valid_from: parse_day(&valid_from)?,
                    valid_until: valid_until.as_deref().map(parse_day).transpose()?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(QualificationHistory { competencies, exams })
    }

    async fn qualification_audit(&self, partner_id: i64) -> StoreResult<Vec<AuditLine>> {
        let records =
            read_audit::<QualificationChange, String>(&self.pool, RECORDS_SUBJECT, &partner_id.to_string()).await?;
        Ok(records
            .into_iter()
            .rev()
            .map(|record| AuditLine {
                at: record.at,
                program_date: record.program_date,
                actor_name: record.actor_name,
                messages: LocalizedText::of(&record.event),
            })
            .collect())
    }

    async fn set_competency(
        &self,
        partner_id: i64,
        competency: HeldCompetency,
        change: &RecordsChange,
    ) -> StoreResult<Option<HeldCompetency>> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let previous = held_competency(&mut transaction, partner_id, competency.competency).await?;
        upsert_competency(&mut transaction, partner_id, &competency).await?;
        end_competency_version(&mut transaction, partner_id, competency.competency, change.program_date).await?;
        start_competency_version(&mut transaction, partner_id, &competency, change.program_date).await?;
        let event = QualificationChange::CompetencySet {
            competency: competency.competency,
            level: competency.level,
            expires_on: competency.expires_on,
            previous,
        };
        audit_records_change(&mut transaction, partner_id, change, &event).await?;
        transaction.commit().await?;
        Ok(previous)
    }

    async fn remove_competency(
        &self,
        partner_id: i64,
        competency: CompetencyId,
        change: &RecordsChange,
    ) -> StoreResult<Option<HeldCompetency>> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let Some(removed) = held_competency(&mut transaction, partner_id, competency).await? else {
            return Ok(None);
        };
        sqlx::query("DELETE FROM partner_competencies WHERE organization_id = $1 AND competency = $2")
            .bind(partner_id)
            .bind(name_of(&competency))
            .execute(&mut *transaction)
            .await?;
        end_competency_version(&mut transaction, partner_id, competency, change.program_date).await?;
        let event =
            QualificationChange::CompetencyRemoved { competency, level: removed.level, expires_on: removed.expires_on };
        audit_records_change(&mut transaction, partner_id, change, &event).await?;
        transaction.commit().await?;
        Ok(Some(removed))
    }

    async fn add_location(&self, partner_id: i64, location: NewPartnerLocation, now: DateTime<Utc>) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        insert_location(&mut transaction, partner_id, &location, now).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn remove_location(&self, partner_id: i64, location_id: &LocationId) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        // A table that refers to the location by foreign key refuses the delete: a conflict. (Vouchers
        // keep their location inside their JSON body today, so they do not block it.)
        let deleted = sqlx::query("DELETE FROM partner_locations WHERE location_id = $1 AND organization_id = $2")
            .bind(location_id.as_str())
            .bind(partner_id)
            .execute(&mut *transaction)
            .await
            .map_err(|error| conflict_or_failure(error, "location in use"))?;
        transaction.commit().await?;
        Ok(deleted.rows_affected() > 0)
    }

    async fn add_consultant(
        &self,
        partner_id: i64,
        consultant: NewConsultantRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let result = insert_consultant(&mut transaction, partner_id, &consultant, now).await?;
        transaction.commit().await?;
        Ok(result)
    }

    async fn add_passed_exam(
        &self,
        partner_id: i64,
        consultant_id: i64,
        exam: PassedExam,
        change: &RecordsChange,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        // Another company's consultant is not found: nothing is written.
        let Some(consultant) = consultant_name(&mut transaction, partner_id, consultant_id).await? else {
            return Ok(false);
        };
        sqlx::query("INSERT INTO consultant_exams (consultant_id, exam, counts_toward) VALUES ($1, $2, $3)")
            .bind(consultant_id)
            .bind(&exam.exam)
            .bind(name_of(&exam.counts_toward))
            .execute(&mut *transaction)
            .await
            .map_err(|error| conflict_or_failure(error, "exam"))?;
        end_exam_version(&mut transaction, consultant_id, &exam.exam, change.program_date).await?;
        start_exam_version(&mut transaction, consultant_id, &exam, change.program_date).await?;
        let event = QualificationChange::ExamRecorded {
            consultant,
            exam: exam.exam.clone(),
            counts_toward: exam.counts_toward,
        };
        audit_records_change(&mut transaction, partner_id, change, &event).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn remove_passed_exam(
        &self,
        partner_id: i64,
        consultant_id: i64,
        exam: &str,
        change: &RecordsChange,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        lock_partner(&mut transaction, self.dialect, partner_id).await?;
        let Some(consultant) = consultant_name(&mut transaction, partner_id, consultant_id).await? else {
            return Ok(false);
        };
        let counts_toward: Option<String> =
            sqlx::query_scalar("SELECT counts_toward FROM consultant_exams WHERE consultant_id = $1 AND exam = $2")
                .bind(consultant_id)
                .bind(exam)
                .fetch_optional(&mut *transaction)
                .await?;
        let Some(counts_toward) = counts_toward else { return Ok(false) };
        sqlx::query("DELETE FROM consultant_exams WHERE consultant_id = $1 AND exam = $2")
            .bind(consultant_id)
            .bind(exam)
            .execute(&mut *transaction)
            .await?;
        end_exam_version(&mut transaction, consultant_id, exam, change.program_date).await?;
        let event = QualificationChange::ExamRemoved {
            consultant,
            exam: exam.to_owned(),
            counts_toward: parse_name(&counts_toward)?,
        };
        audit_records_change(&mut transaction, partner_id, change, &event).await?;
        transaction.commit().await?;
        Ok(true)
    }

    async fn business_profile(&self, partner_id: i64) -> StoreResult<Option<BusinessProfile>> {
        let mut reads = self.begin_read().await?;
        let profile = load_business_profile(&mut reads, partner_id).await?;
        reads.finish().await?;
        Ok(profile)
    }

    async fn save_business_profile(
        &self,
        partner_id: i64,
        profile: ProfileFields,
        now: DateTime<Utc>,
    ) -> StoreResult<BusinessProfile> {
        let mut transaction = self.begin_write().await?;
        write_business_profile(&mut transaction, partner_id, &profile, now).await?;
        let saved = load_business_profile(&mut transaction, partner_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("business profile {partner_id} vanished")))?;
        transaction.commit().await?;
        Ok(saved)
    }

    async fn search_directory(
        &self,
        filter: &DirectoryFilter,
        today: NaiveDate,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(Vec<PublicPartnerProfile>, u64)> {
        let mut reads = self.begin_read().await?;
        let mut count = SqlBuilder::new("SELECT count(*)");
        push_directory_filter(&mut count, self.dialect, filter, today);
        let (sql, arguments) = count.build();
        let total: i64 = sqlx::query_scalar_with(&sql, arguments).fetch_one(&mut *reads).await?;
        let mut page = SqlBuilder::new("SELECT b.organization_id");
        push_directory_filter(&mut page, self.dialect, filter, today);
        page.push(" ORDER BY o.name, o.id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let (sql, arguments) = page.build();
        let ids: Vec<i64> = sqlx::query_scalar_with(&sql, arguments).fetch_all(&mut *reads).await?;
        let mut partners = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(profile) = load_public_profile(&mut reads, id, today).await? {
                partners.push(profile);
            }
        }
        reads.finish().await?;
        Ok((partners, u64::try_from(total).unwrap_or_default()))
    }

    async fn public_profile(&self, partner_id: i64, today: NaiveDate) -> StoreResult<Option<PublicPartnerProfile>> {
        let mut reads = self.begin_read().await?;
        let profile = load_public_profile(&mut reads, partner_id, today).await?;
        reads.finish().await?;
        Ok(profile)
    }

    async fn seed_partner_programs(&self, programs: Vec<SeedPartnerProgram>, now: DateTime<Utc>) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        for program in programs {
            let partner_id: i64 =
                sqlx::query_scalar("SELECT id FROM organizations WHERE name = $1 AND kind = 'partner'")
                    .bind(&program.organization_name)
                    .fetch_optional(&mut *transaction)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt(format!("no partner named {}", program.organization_name)))?;
            sqlx::query(
                "INSERT INTO partner_programs (organization_id, agreement_version, agreement_signed_on, \
                 renewal_due_on, compliance_training_completed, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(partner_id)
            .bind(program.agreement.map(|agreement| i64::from(agreement.version)))
            .bind(program.agreement.map(|agreement| agreement.signed_on.to_string()))
            .bind(program.renewal_due_on.map(|date| date.to_string()))
            .bind(i64::from(program.compliance_training_completed))
            .bind(now.to_rfc3339())
            .execute(&mut *transaction)
            .await?;
            // The records as the program wrote them: current, with their history and audit rows.
            let records = RecordsChange {
                actor_user_id: None,
                actor_name: "Demo data".to_owned(),
                program_date: program.records_since,
                now,
            };
            for competency in &program.competencies {
                upsert_competency(&mut transaction, partner_id, competency).await?;
                start_competency_version(&mut transaction, partner_id, competency, program.records_since).await?;
                let event = QualificationChange::CompetencySet {
                    competency: competency.competency,
                    level: competency.level,
                    expires_on: competency.expires_on,
                    previous: None,
                };
                audit_records_change(&mut transaction, partner_id, &records, &event).await?;
            }
            for location in &program.locations {
                insert_location(&mut transaction, partner_id, location, now).await?;
            }
            for (offering, enrolled_on) in &program.enrolled_offerings {
                sqlx::query(
                    "INSERT INTO partner_enrollments (organization_id, offering, enrolled_on) VALUES ($1, $2, $3)",
                )
                .bind(partner_id)
                .bind(name_of(offering))
                .bind(enrolled_on.to_string())
                .execute(&mut *transaction)
                .await?;
            }
            for consultant in &program.consultants {
                let user_id: Option<i64> = match &consultant.linked_user_email {
                    None => None,
                    Some(email) => {
                        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                            .bind(email)
                            .fetch_optional(&mut *transaction)
                            .await?
                    }
                };
                let record = NewConsultantRecord {
                    display_name: consultant.display_name.clone(),
                    email: consultant.email.clone(),
                    user_id,
                };
                let consultant_id = insert_consultant(&mut transaction, partner_id, &record, now).await?;
                for exam in &consultant.passed_exams {
                    sqlx::query(
                        "INSERT INTO consultant_exams (consultant_id, exam, counts_toward) VALUES ($1, $2, $3)",
                    )
                    .bind(consultant_id)
                    .bind(&exam.exam)
                    .bind(name_of(&exam.counts_toward))
                    .execute(&mut *transaction)
                    .await?;
                    start_exam_version(&mut transaction, consultant_id, exam, program.records_since).await?;
                    let event = QualificationChange::ExamRecorded {
                        consultant: consultant.display_name.clone(),
                        exam: exam.exam.clone(),
                        counts_toward: exam.counts_toward,
                    };
                    audit_records_change(&mut transaction, partner_id, &records, &event).await?;
                }
            }
            if let Some(profile) = &program.business_profile {
                write_business_profile(&mut transaction, partner_id, profile, now).await?;
            }
        }
        transaction.commit().await?;
        Ok(())
    }
}
