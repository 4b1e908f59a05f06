//! The program operator's records of partners' competencies and passed exams (issue 17 item 5):
//! find a partner, read its records and their audit trail, and change them. Partners read the
//! same records, read-only, in their program data (`/api/v1/partner/program`).

use serde::{Deserialize, Serialize};

use super::partners::competency_key;
use crate::catalog::CompetencyId;

/// `GET` with an optional `name` parameter: partners whose name contains it ([`super::Organization`],
/// at most [`PARTNER_SEARCH_LIMIT`]); program operator.
pub const OPERATOR_PARTNERS: &str = "/api/v1/operations/partners";

/// `GET`: one partner's program data ([`super::partners::PartnerProgram`]: its competencies and consultants'
/// exams as on record now, what the partner itself reads); program operator.
pub const OPERATOR_PARTNER_ROUTE: &str = "/api/v1/operations/partners/{partner_id}";

/// `GET`: the audit trail of the partner's competency and exam records, newest first
/// ([`super::vouchers::AuditLine`]: when, program date, who, the change in words in both
/// languages); program operator.
pub const OPERATOR_PARTNER_AUDIT_ROUTE: &str = "/api/v1/operations/partners/{partner_id}/audit";

/// `PUT` [`super::partners::SetCompetency`] records or changes a competency (answers the
/// [`super::partners::PartnerProgram`]), `DELETE` removes it (204); program operator.
pub const OPERATOR_COMPETENCY_ROUTE: &str = "/api/v1/operations/partners/{partner_id}/competencies/{competency}";

/// `POST` [`super::partners::NewPassedExam`]: records an exam a consultant passed (201 with the
/// [`super::partners::PartnerProgram`]); program operator.
pub const OPERATOR_EXAMS_ROUTE: &str = "/api/v1/operations/partners/{partner_id}/consultants/{consultant_id}/exams";

/// `DELETE`: removes a consultant's exam record (204); program operator.
pub const OPERATOR_EXAM_ROUTE: &str =
    "/api/v1/operations/partners/{partner_id}/consultants/{consultant_id}/exams/{exam}";

/// The most partners one search answers.
pub const PARTNER_SEARCH_LIMIT: u32 = 50;

/// The address of [`OPERATOR_PARTNERS`] searching for `name`.
pub fn operator_partners_path(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect();
    format!("{OPERATOR_PARTNERS}?name={encoded}")
}

/// The address of [`OPERATOR_PARTNER_ROUTE`].
pub fn operator_partner_path(partner_id: i64) -> String {
    format!("{OPERATOR_PARTNERS}/{partner_id}")
}

/// The address of [`OPERATOR_PARTNER_AUDIT_ROUTE`].
pub fn operator_partner_audit_path(partner_id: i64) -> String {
    format!("{OPERATOR_PARTNERS}/{partner_id}/audit")
}

/// The address of [`OPERATOR_COMPETENCY_ROUTE`].
pub fn operator_competency_path(partner_id: i64, competency: CompetencyId) -> String {
    format!("{OPERATOR_PARTNERS}/{partner_id}/competencies/{}", competency_key(competency))
}

/// The address of [`OPERATOR_EXAMS_ROUTE`].
pub fn operator_exams_path(partner_id: i64, consultant_id: i64) -> String {
    format!("{OPERATOR_PARTNERS}/{partner_id}/consultants/{consultant_id}/exams")
}

/// The address of [`OPERATOR_EXAM_ROUTE`] (exam codes are letters, digits and a hyphen).
pub fn operator_exam_path(partner_id: i64, consultant_id: i64, exam: &str) -> String {
    format!("{OPERATOR_PARTNERS}/{partner_id}/consultants/{consultant_id}/exams/{exam}")
}

/// The query of `GET` [`OPERATOR_PARTNERS`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnerSearch {
    /// Part of the name, any case; every partner (up to the limit) when absent or empty.
    #[serde(default)]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn paths_fill_their_routes() {
        assert_eq!(
            operator_partners_path("Contoso Ltd & Co"),
            "/api/v1/operations/partners?name=Contoso%20Ltd%20%26%20Co"
        );
        assert_eq!(
            operator_competency_path(7, CompetencyId::DataPlatform),
            "/api/v1/operations/partners/7/competencies/data_platform"
        );
        assert_eq!(operator_exam_path(7, 3, "MS-203"), "/api/v1/operations/partners/7/consultants/3/exams/MS-203");
        assert_eq!(
            OPERATOR_EXAM_ROUTE
                .replace("{partner_id}", "7")
                .replace("{consultant_id}", "3")
                .replace("{exam}", "MS-203"),
            operator_exam_path(7, 3, "MS-203")
        );
    }
}
