//! An eligibility checklist: a check mark and a word for every requirement, and for an unmet
//! one why and what would satisfy it (the shared crate's words).

use planning_domain::eligibility::{EligibilityStatus, RequirementCheck};
use planning_domain::{Locale, Localize};

use crate::dom::{el, text_el, El};

/// One line: ✓/✗, "Met"/"Not met", the requirement, and the finding.
pub fn check_item(check: &RequirementCheck, locale: Locale) -> El {
    let (class, mark, word) = if check.met {
        ("check check--met", "✓", tr_in!(locale, check_met))
    } else {
        ("check check--unmet", "✗", tr_in!(locale, check_unmet))
    };
    el("li").class(class).child(text_el("span", mark).class("check__mark").attr("aria-hidden", "true")).child(
        el("span")
            .class("check__text")
            .child(text_el("span", word).class("check__word"))
            .text(" ")
            .child(text_el("span", &check.requirement.message(locale)).class("check__requirement"))
            .child(text_el("span", &check.finding.message(locale)).class("check__finding")),
    )
}

pub fn checklist(checks: &[RequirementCheck], locale: Locale) -> El {
    el("ul").class("checklist").children(checks.iter().map(|check| check_item(check, locale)).collect())
}

/// An offering's overall status as a labelled badge.
pub fn status_badge(status: EligibilityStatus, locale: Locale) -> El {
    let class = match status {
        EligibilityStatus::Active => "status status--paid",
        EligibilityStatus::InProgress => "status status--reserved",
        EligibilityStatus::NotStarted => "status status--expired",
    };
    text_el("span", &status.message(locale)).class(class)
}
