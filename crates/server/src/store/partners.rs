//! Partner program data (agreement, renewal, competencies, locations, consultants, enrollment),
//! business profiles and the public partner directory.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use planning_domain::api::partners::{BusinessProfile, PartnerProgram, PublicPartnerProfile};
use planning_domain::api::vouchers::AuditLine;
use planning_domain::api::Organization;
use planning_domain::eligibility::{HeldCompetency, PassedExam, SignedAgreement};
use planning_domain::profile::{CustomerSize, ProfileError};
use planning_domain::qualification::QualificationHistory;
use planning_domain::{CompetencyId, CountryCode, LocationId, OfferingCode, PartnerProfile};

use super::StoreResult;

/// The rule an enrollment must pass, evaluated on the partner's data as read inside the
/// enrolling transaction, so no concurrent edit slips between the check and the write.
pub type EnrollmentRule<'a> = &'a (dyn Fn(&PartnerProfile) -> Result<(), ProfileError> + Send + Sync);

/// A new MPN location (already validated).
#[derive(Debug, Clone)]
pub struct NewPartnerLocation {
    pub location_id: LocationId,
    pub country: CountryCode,
    pub city: String,
}

/// A new consultant (already validated; the linked user checked to be a consultant of the company).
#[derive(Debug, Clone)]
pub struct NewConsultantRecord {
    pub display_name: String,
    pub email: String,
    pub user_id: Option<i64>,
}

/// A whole business profile to store (already validated).
#[derive(Debug, Clone)]
pub struct ProfileFields {
    pub country: CountryCode,
    pub description: String,
    pub website: String,
    pub linkedin_page: Option<String>,
    pub industries: Vec<String>,
    pub products: Vec<String>,
    pub service_types: Vec<String>,
    pub target_customer_size: CustomerSize,
    pub allow_endorsement: bool,
    pub published: bool,
}

/// What the directory searches for; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct DirectoryFilter {
    pub country: Option<CountryCode>,
    pub offering: Option<OfferingCode>,
    /// Held and unexpired on the program date passed with the search.
    pub competency: Option<CompetencyId>,
    /// Matched, ignoring case, against the company name and expertise tags.
    pub text: Option<String>,
}

/// Who changes a partner's competency or exam records, and when: the change is in force from
/// `program_date` (see `planning_domain::qualification`).
#[derive(Debug, Clone)]
pub struct RecordsChange {
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub program_date: NaiveDate,
    pub now: DateTime<Utc>,
}

/// A consultant of the demo data, linked to a user by email.
#[derive(Debug, Clone)]
pub struct SeedConsultant {
    pub display_name: String,
    pub email: String,
    pub linked_user_email: Option<String>,
    pub passed_exams: Vec<PassedExam>,
}

/// The program data of one demo partner, named by its organization.
#[derive(Debug, Clone)]
pub struct SeedPartnerProgram {
    pub organization_name: String,
    pub agreement: Option<SignedAgreement>,
    pub renewal_due_on: Option<NaiveDate>,
    pub compliance_training_completed: bool,
    pub enrolled_offerings: Vec<(OfferingCode, NaiveDate)>,
    pub competencies: Vec<HeldCompetency>,
    /// The program date the program recorded the competencies and exams (their history and
    /// audit rows start then).
    pub records_since: NaiveDate,
    pub locations: Vec<NewPartnerLocation>,
    pub consultants: Vec<SeedConsultant>,
    pub business_profile: Option<ProfileFields>,
}

#[async_trait]
pub trait PartnerStore {
    /// What the eligibility rules need about a partner organization; `None` when `partner_id` is
    /// not a partner. `partner_id` and consultant ids are the database ids as decimal strings.
    async fn partner_profile(&self, partner_id: i64) -> StoreResult<Option<PartnerProfile>>;

    /// The partner's program data with names; `None` when `partner_id` is not a partner.
    async fn partner_program(&self, partner_id: i64) -> StoreResult<Option<PartnerProgram>>;

    /// Records the signed agreement; starts the membership year (`renewal_due_on`) when no
    /// renewal date is on record yet.
    async fn sign_agreement(
        &self,
        partner_id: i64,
        agreement: SignedAgreement,
        renewal_due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Sets the next renewal date, only if an agreement is signed; `false` when none is.
    async fn renew_membership(
        &self,
        partner_id: i64,
        renewal_due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    async fn complete_compliance_training(&self, partner_id: i64, now: DateTime<Utc>) -> StoreResult<()>;

    /// Enrolls in `offering` if `rule` allows it, atomically with the check.
    async fn enroll_in_offering(
        &self,
        partner_id: i64,
        offering: OfferingCode,
        enrolled_on: NaiveDate,
        now: DateTime<Utc>,
        rule: EnrollmentRule<'_>,
    ) -> StoreResult<Result<(), ProfileError>>;

    /// `false` when the partner was not enrolled.
    async fn withdraw_from_offering(&self, partner_id: i64, offering: OfferingCode) -> StoreResult<bool>;

    /// Partners whose name contains `name` (any case), by name, at most `limit`.
    async fn find_partners(&self, name: &str, limit: u32) -> StoreResult<Vec<Organization>>;

    /// Every version of the partner's competency and exam records (migration 0010).
    async fn qualification_history(&self, partner_id: i64) -> StoreResult<QualificationHistory>;

    /// The audit trail of the partner's competency and exam records, newest first.
    async fn qualification_audit(&self, partner_id: i64) -> StoreResult<Vec<AuditLine>>;

    /// Records the competency or changes its level and expiry, in force from the change's
    /// program date, with its audit row; the previous version, if any (`Ok(None)` with nothing
    /// written is not possible: the partner is checked by the caller).
    async fn set_competency(
        &self,
        partner_id: i64,
        competency: HeldCompetency,
        change: &RecordsChange,
    ) -> StoreResult<Option<HeldCompetency>>;

    /// Removes the competency from the change's program date, with its audit row; the removed
    /// version, or `None` when the partner did not hold it (nothing written).
    async fn remove_competency(
        &self,
        partner_id: i64,
        competency: CompetencyId,
        change: &RecordsChange,
    ) -> StoreResult<Option<HeldCompetency>>;

    /// `Conflict` when the location id is on record already (for any partner).
    async fn add_location(&self, partner_id: i64, location: NewPartnerLocation, now: DateTime<Utc>) -> StoreResult<()>;

    /// `false` when the location is not the partner's; `Conflict` when a voucher refers to it.
    async fn remove_location(&self, partner_id: i64, location_id: &LocationId) -> StoreResult<bool>;

    /// The new consultant's id; `Conflict` when the email or the linked user is on record already.
    async fn add_consultant(
        &self,
        partner_id: i64,
        consultant: NewConsultantRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;

    /// Records the exam from the change's program date, with its audit row; `false` when the
    /// consultant is not the partner's; `Conflict` when the exam is recorded.
    async fn add_passed_exam(
        &self,
        partner_id: i64,
        consultant_id: i64,
        exam: PassedExam,
        change: &RecordsChange,
    ) -> StoreResult<bool>;

    /// Removes the exam record from the change's program date, with its audit row; `false` when
    /// no such exam of the partner's consultant is on record (nothing written).
    async fn remove_passed_exam(
        &self,
        partner_id: i64,
        consultant_id: i64,
        exam: &str,
        change: &RecordsChange,
    ) -> StoreResult<bool>;

    async fn business_profile(&self, partner_id: i64) -> StoreResult<Option<BusinessProfile>>;

    /// Creates or replaces the partner's business profile with its tags, atomically.
    async fn save_business_profile(
        &self,
        partner_id: i64,
        profile: ProfileFields,
        now: DateTime<Utc>,
    ) -> StoreResult<BusinessProfile>;

    /// One page of published profiles matching `filter` on `today`, ordered by name, and the
    /// number of matches on all pages.
    async fn search_directory(
        &self,
        filter: &DirectoryFilter,
        today: NaiveDate,
        limit: u32,
        offset: u64,
    ) -> StoreResult<(Vec<PublicPartnerProfile>, u64)>;

    /// A published profile; `None` when unknown or unpublished.
    async fn public_profile(&self, partner_id: i64, today: NaiveDate) -> StoreResult<Option<PublicPartnerProfile>>;

    /// Stores the demo partners' program data in one transaction: all of it or none.
    async fn seed_partner_programs(&self, programs: Vec<SeedPartnerProgram>, now: DateTime<Utc>) -> StoreResult<()>;
}
