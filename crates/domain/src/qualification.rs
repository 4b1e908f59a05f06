//! Competencies and passed exams as the program keeps them (issue 17 item 5): the program
//! operator is their only writer, every version of a record is kept with the period it was on
//! record, and the payment review judges a delivered engagement by the records as they were on
//! its delivery days, not as they are on the day of the review.
//!
//! A change recorded on program date D is in force from D: the version it replaces was on record
//! through D − 1 (`valid_until` = D, exclusive), the new one from D (`valid_from` = D). A
//! competency on record is held while its own `expires_on` has not passed (inclusive), as in
//! [`crate::eligibility`].
//!
//! The delivery rule ([`qualification_during_delivery`]): the company competency and the
//! consultant's exam must be on record, and valid, on **every** day from the completion report's
//! `delivered_from` through `delivered_through`. So a competency that expired or was removed
//! after the last delivery day does not fail the review, and one recorded after the first
//! delivery day does not make it pass.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{CompetencyId, CompetencyLevel, EngagementId};
use crate::eligibility::{
    consultant_check, engagement_competency_check, HeldCompetency, PartnerProfile, PassedExam, RequirementCheck,
};
use crate::locale::{Locale, Localize};
use crate::parse::format_date;

/// Whether a record with this period was on record on `day` (`valid_until` is exclusive).
pub fn on_record(valid_from: NaiveDate, valid_until: Option<NaiveDate>, day: NaiveDate) -> bool {
    valid_from <= day && valid_until.is_none_or(|until| day < until)
}

/// One version of a competency the company held, and when it was on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetencyRecord {
    pub competency: CompetencyId,
    pub level: CompetencyLevel,
    /// The competency itself is valid through this day.
    pub expires_on: NaiveDate,
    /// The first program date this version was on record.
    pub valid_from: NaiveDate,
    /// The program date it was replaced or removed (exclusive); `None` while it is current.
    pub valid_until: Option<NaiveDate>,
}

/// One passed exam of a consultant, and when it was on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamRecord {
    /// The consultant's id as in [`PartnerProfile::consultants`].
    pub consultant_id: String,
    pub exam: String,
    pub counts_toward: CompetencyId,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

/// Every version of a partner's competency and exam records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualificationHistory {
    pub competencies: Vec<CompetencyRecord>,
    pub exams: Vec<ExamRecord>,
}

impl QualificationHistory {
    /// The history of a partner whose present records (`partner`'s competencies and exams) have
    /// been on record, unchanged, since `since`: demo data, and records kept before history was.
    pub fn on_record_since(partner: &PartnerProfile, since: NaiveDate) -> Self {
        let competencies = partner
            .competencies
            .iter()
            .map(|held| CompetencyRecord {
                competency: held.competency,
                level: held.level,
                expires_on: held.expires_on,
                valid_from: since,
                valid_until: None,
            })
            .collect();
        let exams = partner
            .consultants
            .iter()
            .flat_map(|consultant| {
                consultant.passed_exams.iter().map(|exam| ExamRecord {
                    consultant_id: consultant.consultant_id.clone(),
                    exam: exam.exam.clone(),
                    counts_toward: exam.counts_toward,
                    valid_from: since,
                    valid_until: None,
                })
            })
            .collect();
        QualificationHistory { competencies, exams }
    }

    /// The competencies on record on `day` (expired ones included: the rules say why they fail).
    pub fn competencies_on(&self, day: NaiveDate) -> Vec<HeldCompetency> {
        self.competencies
            .iter()
            .filter(|record| on_record(record.valid_from, record.valid_until, day))
            .map(|record| HeldCompetency {
                competency: record.competency,
                level: record.level,
                expires_on: record.expires_on,
            })
            .collect()
    }

    /// The exams of `consultant_id` on record on `day`.
    pub fn exams_on(&self, consultant_id: &str, day: NaiveDate) -> Vec<PassedExam> {
        self.exams
            .iter()
            .filter(|record| {
                record.consultant_id == consultant_id && on_record(record.valid_from, record.valid_until, day)
            })
            .map(|record| PassedExam { exam: record.exam.clone(), counts_toward: record.counts_toward })
            .collect()
    }

    /// `partner` with its competencies and its consultants' exams as on record on `day`; the
    /// rest of the profile (agreement, locations, consultants themselves) as given.
    pub fn profile_on(&self, partner: &PartnerProfile, day: NaiveDate) -> PartnerProfile {
        let mut profile = partner.clone();
        profile.competencies = self.competencies_on(day);
        for consultant in &mut profile.consultants {
            consultant.passed_exams = self.exams_on(&consultant.consultant_id, day);
        }
        profile
    }

    /// The days in `from..=through` on which the records, or a competency's validity, change:
    /// `from` itself and every later start, end or expiry inside the span, in order. Between two
    /// of them every day reads the same, so checking these days checks every day.
    fn change_days(&self, from: NaiveDate, through: NaiveDate) -> Vec<NaiveDate> {
        let competency_days = self
            .competencies
            .iter()
            .flat_map(|record| [Some(record.valid_from), record.valid_until, record.expires_on.succ_opt()]);
        let exam_days = self.exams.iter().flat_map(|record| [Some(record.valid_from), record.valid_until]);
        let mut days: Vec<NaiveDate> = std::iter::once(from)
            .chain(competency_days.chain(exam_days).flatten().filter(|day| *day > from && *day <= through))
            .collect();
        days.sort();
        days.dedup();
        days
    }
}

/// The review's two qualification checks of one delivered engagement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryQualification {
    /// Met when the company held a qualifying competency on every delivery day; otherwise the
    /// finding of the first day it did not.
    pub competency: RequirementCheck,
    /// The first delivery day the competency was not held, if any.
    pub competency_unmet_on: Option<NaiveDate>,
    /// Met when the consultant had a qualifying exam on record on every delivery day.
    pub consultant: RequirementCheck,
    pub consultant_unmet_on: Option<NaiveDate>,
}

/// Judges the company competency and the consultant of an engagement delivered from
/// `delivered_from` through `delivered_through` by the records as they were on those days (see
/// the module's note). A span given backwards is judged on `delivered_from` alone.
pub fn qualification_during_delivery(
    partner: &PartnerProfile,
    history: &QualificationHistory,
    engagement: EngagementId,
    consultant_id: &str,
    delivered_from: NaiveDate,
    delivered_through: NaiveDate,
) -> DeliveryQualification {
    // The first day's check, replaced by the first failing day's check if one fails.
    fn keep(
        slot: &mut Option<RequirementCheck>,
        unmet_on: &mut Option<NaiveDate>,
        check: RequirementCheck,
        day: NaiveDate,
    ) {
        if slot.is_none() || (unmet_on.is_none() && !check.met) {
            if !check.met {
                *unmet_on = Some(day);
            }
            *slot = Some(check);
        }
    }
    let (mut competency, mut competency_unmet_on) = (None, None);
    let (mut consultant, mut consultant_unmet_on) = (None, None);
    for day in history.change_days(delivered_from, delivered_through) {
        let profile = history.profile_on(partner, day);
        keep(&mut competency, &mut competency_unmet_on, engagement_competency_check(&profile, engagement, day), day);
        keep(&mut consultant, &mut consultant_unmet_on, consultant_check(&profile, engagement, consultant_id), day);
    }
    // `change_days` always holds `delivered_from`, so both are set.
    let competency = competency.expect("delivered_from is always checked");
    let consultant = consultant.expect("delivered_from is always checked");
    DeliveryQualification { competency, competency_unmet_on, consultant, consultant_unmet_on }
}

/// One change of a partner's competency or exam records, as its audit trail tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualificationChange {
    CompetencySet {
        competency: CompetencyId,
        level: CompetencyLevel,
        expires_on: NaiveDate,
        previous: Option<HeldCompetency>,
    },
    CompetencyRemoved {
        competency: CompetencyId,
        level: CompetencyLevel,
        expires_on: NaiveDate,
    },
    ExamRecorded {
        consultant: String,
        exam: String,
        counts_toward: CompetencyId,
    },
    ExamRemoved {
        consultant: String,
        exam: String,
        counts_toward: CompetencyId,
    },
}

impl QualificationChange {
    /// The audit log's short name of the change.
    pub fn kind(&self) -> &'static str {
        match self {
            QualificationChange::CompetencySet { .. } => "competency_set",
            QualificationChange::CompetencyRemoved { .. } => "competency_removed",
            QualificationChange::ExamRecorded { .. } => "exam_recorded",
            QualificationChange::ExamRemoved { .. } => "exam_removed",
        }
    }
}

impl Localize for QualificationChange {
    fn message(&self, locale: Locale) -> String {
        let held = |competency: &CompetencyId, level: &CompetencyLevel| match locale {
            Locale::En => format!("{} {}", level.message(locale), competency.message(locale)),
            Locale::Ko => format!("{} {}", competency.message(locale), level.message(locale)),
        };
        let date = |day: &NaiveDate| format_date(*day, locale);
        match (self, locale) {
            (QualificationChange::CompetencySet { competency, level, expires_on, previous: None }, Locale::En) => {
                format!("Recorded the {} competency, valid through {}.", held(competency, level), date(expires_on))
            }
            (QualificationChange::CompetencySet { competency, level, expires_on, previous: None }, Locale::Ko) => {
                format!("{} 역량을 {}까지 유효한 것으로 기록했습니다.", held(competency, level), date(expires_on))
            }
            (QualificationChange::CompetencySet { competency, level, expires_on, previous: Some(old) }, Locale::En) => {
                format!(
                    "Changed the {} competency, valid through {}, to {}, valid through {}.",
                    held(&old.competency, &old.level),
                    date(&old.expires_on),
                    held(competency, level),
                    date(expires_on)
                )
            }
            (QualificationChange::CompetencySet { competency, level, expires_on, previous: Some(old) }, Locale::Ko) => {
                format!(
                    "{}까지 유효한 {} 역량을 {}까지 유효한 {} 역량으로 변경했습니다.",
                    date(&old.expires_on),
                    held(&old.competency, &old.level),
                    date(expires_on),
                    held(competency, level)
                )
            }
            (QualificationChange::CompetencyRemoved { competency, level, expires_on }, Locale::En) => {
                format!("Removed the {} competency, valid through {}.", held(competency, level), date(expires_on))
            }
            (QualificationChange::CompetencyRemoved { competency, level, expires_on }, Locale::Ko) => {
                format!("{}까지 유효한 {} 역량을 삭제했습니다.", date(expires_on), held(competency, level))
            }
            (QualificationChange::ExamRecorded { consultant, exam, counts_toward }, Locale::En) => {
                format!("Recorded that {consultant} passed {exam}, counting toward {}.", counts_toward.message(locale))
            }
            (QualificationChange::ExamRecorded { consultant, exam, counts_toward }, Locale::Ko) => {
                format!("{consultant}의 {exam} 시험 합격({} 역량 인정)을 기록했습니다.", counts_toward.message(locale))
            }
            (QualificationChange::ExamRemoved { consultant, exam, counts_toward }, Locale::En) => format!(
                "Removed the {exam} exam of {consultant}, which counted toward {}.",
                counts_toward.message(locale)
            ),
            (QualificationChange::ExamRemoved { consultant, exam, counts_toward }, Locale::Ko) => {
                format!("{consultant}의 {exam} 시험 기록({} 역량 인정)을 삭제했습니다.", counts_toward.message(locale))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::eligibility::tests::{contoso, date};
    use crate::eligibility::Finding;
    use crate::locale::test_support::assert_bilingual;

    const EXCHANGE: EngagementId = EngagementId::ExchangeDeploymentPlanning;

    /// Contoso's Silver Messaging (expires 2021-12-31) on record from 2021-01-01, and kim's
    /// MS-203 on record from 2021-01-01.
    fn history() -> QualificationHistory {
        QualificationHistory {
            competencies: vec![CompetencyRecord {
                competency: CompetencyId::Messaging,
                level: CompetencyLevel::Silver,
                expires_on: date("2021-12-31"),
                valid_from: date("2021-01-01"),
                valid_until: None,
            }],
            exams: vec![ExamRecord {
                consultant_id: "kim".into(),
                exam: "MS-203".into(),
                counts_toward: CompetencyId::Messaging,
                valid_from: date("2021-01-01"),
                valid_until: None,
            }],
        }
    }

    fn judge(history: &QualificationHistory, from: &str, through: &str) -> DeliveryQualification {
        qualification_during_delivery(&contoso(), history, EXCHANGE, "kim", date(from), date(through))
    }

    #[test]
    fn a_record_is_on_record_from_its_first_day_until_the_day_before_it_ended() {
        let (from, until) = (date("2021-06-10"), Some(date("2021-06-20")));
        assert!(!on_record(from, until, date("2021-06-09")));
        assert!(on_record(from, until, date("2021-06-10")));
        assert!(on_record(from, until, date("2021-06-19")));
        assert!(!on_record(from, until, date("2021-06-20")));
        assert!(on_record(from, None, date("2099-01-01")));
    }

    #[test]
    fn the_profile_on_a_day_replaces_competencies_and_exams_with_those_on_record() {
        let mut history = history();
        history.competencies[0].valid_until = Some(date("2021-06-01"));
        let before = history.profile_on(&contoso(), date("2021-05-31"));
        assert_eq!(before.competencies.len(), 1);
        assert_eq!(before.consultant("kim").unwrap().passed_exams.len(), 1);
        assert!(before.consultant("lee").unwrap().passed_exams.is_empty());
        let after = history.profile_on(&contoso(), date("2021-06-01"));
        assert!(after.competencies.is_empty());
    }

    #[test]
    fn a_competency_expiring_on_the_last_delivery_day_passes_and_the_day_before_fails() {
        let mut history = history();
        history.competencies[0].expires_on = date("2021-06-16");
        let on_last_day = judge(&history, "2021-06-14", "2021-06-16");
        assert!(on_last_day.competency.met, "{on_last_day:?}");
        assert_eq!(on_last_day.competency_unmet_on, None);
        history.competencies[0].expires_on = date("2021-06-15");
        let day_before = judge(&history, "2021-06-14", "2021-06-16");
        assert!(!day_before.competency.met);
        assert_eq!(day_before.competency_unmet_on, Some(date("2021-06-16")));
        assert!(matches!(day_before.competency.finding, Finding::CompetencyExpired { .. }));
        // Expired the day after delivery: the review is not failed by what came later.
        history.competencies[0].expires_on = date("2021-06-17");
        assert!(judge(&history, "2021-06-14", "2021-06-16").competency.met);
    }

    #[test]
    fn a_removal_after_the_last_delivery_day_does_not_fail_and_one_on_it_does() {
        let mut history = history();
        history.competencies[0].valid_until = Some(date("2021-06-17"));
        assert!(judge(&history, "2021-06-14", "2021-06-16").competency.met);
        history.competencies[0].valid_until = Some(date("2021-06-16"));
        let removed_on_last_day = judge(&history, "2021-06-14", "2021-06-16");
        assert!(!removed_on_last_day.competency.met);
        assert_eq!(removed_on_last_day.competency_unmet_on, Some(date("2021-06-16")));
        assert_eq!(removed_on_last_day.competency.finding, Finding::CompetencyMissing);
    }

    #[test]
    fn a_competency_recorded_after_the_first_delivery_day_does_not_make_it_pass() {
        let mut history = history();
        history.competencies[0].valid_from = date("2021-06-14");
        assert!(judge(&history, "2021-06-14", "2021-06-16").competency.met);
        history.competencies[0].valid_from = date("2021-06-15");
        let late = judge(&history, "2021-06-14", "2021-06-16");
        assert!(!late.competency.met);
        assert_eq!(late.competency_unmet_on, Some(date("2021-06-14")));
        // Recorded after delivery: still not held while delivering.
        history.competencies[0].valid_from = date("2021-07-01");
        assert!(!judge(&history, "2021-06-14", "2021-06-16").competency.met);
    }

    #[test]
    fn a_level_change_during_delivery_is_judged_by_each_day() {
        // Silver until 2021-06-15, then changed to Gold from 2021-06-15: Silver suffices for
        // Exchange, so both versions qualify and the delivery passes.
        let mut history = history();
        history.competencies[0].valid_until = Some(date("2021-06-15"));
        history.competencies.push(CompetencyRecord {
            level: CompetencyLevel::Gold,
            valid_from: date("2021-06-15"),
            valid_until: None,
            ..history.competencies[0]
        });
        assert!(judge(&history, "2021-06-14", "2021-06-16").competency.met);
        // Data Estate Modernization needs Gold Data Platform: not met by other competencies.
        let other = qualification_during_delivery(
            &contoso(),
            &history,
            EngagementId::DataEstateModernization,
            "kim",
            date("2021-06-14"),
            date("2021-06-16"),
        );
        assert!(!other.competency.met);
    }

    #[test]
    fn the_consultant_must_have_the_exam_on_record_on_every_delivery_day() {
        let mut history = history();
        history.exams[0].valid_until = Some(date("2021-06-17"));
        let kept = judge(&history, "2021-06-14", "2021-06-16");
        assert!(kept.consultant.met);
        assert_bilingual(&kept.consultant.finding, "Consultant kim passed MS-203.");
        history.exams[0].valid_until = Some(date("2021-06-16"));
        let removed = judge(&history, "2021-06-14", "2021-06-16");
        assert!(!removed.consultant.met);
        assert_eq!(removed.consultant_unmet_on, Some(date("2021-06-16")));
        history.exams[0].valid_until = None;
        history.exams[0].valid_from = date("2021-06-15");
        let late = judge(&history, "2021-06-14", "2021-06-16");
        assert_eq!(late.consultant_unmet_on, Some(date("2021-06-14")));
        assert_eq!(late.consultant.finding, Finding::ConsultantNotQualified { consultant_id: "kim".into() });
    }

    #[test]
    fn nothing_on_record_fails_both_checks_on_the_first_day() {
        let empty = judge(&QualificationHistory::default(), "2021-06-14", "2021-06-14");
        assert!(!empty.competency.met && !empty.consultant.met);
        assert_eq!(empty.competency_unmet_on, Some(date("2021-06-14")));
    }

    #[test]
    fn changes_are_told_in_both_languages() {
        let set = QualificationChange::CompetencySet {
            competency: CompetencyId::Messaging,
            level: CompetencyLevel::Gold,
            expires_on: date("2022-06-30"),
            previous: Some(HeldCompetency {
                competency: CompetencyId::Messaging,
                level: CompetencyLevel::Silver,
                expires_on: date("2021-12-31"),
            }),
        };
        assert_bilingual(
            &set,
            "Changed the Silver Messaging competency, valid through December 31, 2021, to Gold Messaging, valid \
             through June 30, 2022.",
        );
        assert_eq!(set.kind(), "competency_set");
        let exam = QualificationChange::ExamRecorded {
            consultant: "Kim Min-jun".into(),
            exam: "MS-203".into(),
            counts_toward: CompetencyId::Messaging,
        };
        assert_bilingual(&exam, "Recorded that Kim Min-jun passed MS-203, counting toward Messaging.");
    }
}
