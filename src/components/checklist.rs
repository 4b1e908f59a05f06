//! An eligibility checklist: a check mark and a word for every requirement, and for an unmet
//! one why and what would satisfy it (the shared crate's words).

use leptos::prelude::*;
use planning_domain::eligibility::{EligibilityStatus, RequirementCheck};
use planning_domain::{Locale, Localize};

/// One line: ✓/✗, "Met"/"Not met", the requirement, and the finding.
fn check_item(check: &RequirementCheck, locale: Locale) -> impl IntoView {
    let (class, mark, word) = if check.met {
        ("check check--met", "✓", tr_in!(locale, check_met))
    } else {
        ("check check--unmet", "✗", tr_in!(locale, check_unmet))
    };
    view! {
        <li class=class>
            <span class="check__mark" aria-hidden="true">{mark}</span>
            <span class="check__text">
                <span class="check__word">{word}</span>
                " "
                <span class="check__requirement">{check.requirement.message(locale)}</span>
                <span class="check__finding">{check.finding.message(locale)}</span>
            </span>
        </li>
    }
}

/// Every check of `checks`, in order, for the reader's language `locale`.
pub fn checklist(checks: &[RequirementCheck], locale: Locale) -> impl IntoView {
    let items = checks.iter().map(|check| check_item(check, locale)).collect_view();
    view! { <ul class="checklist">{items}</ul> }
}

/// An offering's overall status as a labelled badge.
pub fn status_badge(status: EligibilityStatus, locale: Locale) -> impl IntoView {
    let class = match status {
        EligibilityStatus::Active => "status status--paid",
        EligibilityStatus::InProgress => "status status--reserved",
        EligibilityStatus::NotStarted => "status status--expired",
    };
    view! { <span class=class>{status.message(locale)}</span> }
}
