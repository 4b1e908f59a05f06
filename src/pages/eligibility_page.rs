//! `/partner/eligibility`: the company's checklist per offering and engagement, computed in the
//! browser by the shared crate from the partner's program data, and that data's editors. An edit
//! changes the local copy first (the checklist follows at once), then the server's answer
//! replaces it, so both always agree; a refused edit reloads the server's data.

use leptos::prelude::*;
use planning_domain::api::partners::{
    self as partner_api, NewLocation, NewPassedExam, PartnerLocationRecord, PartnerProgram, SetCompetency,
};
use planning_domain::catalog::COMPETENCIES;
use planning_domain::eligibility::{evaluate_eligibility, EligibilityPolicy, HeldCompetency};
use planning_domain::parse::parse_date;
use planning_domain::{CompetencyLevel, CountryCode, Localize, Role};

use crate::api::{self, to_body, ApiError, Method};
use crate::components::checklist::{checklist, status_badge};
use crate::components::form_field::{country_options, Field};
use crate::components::notice::{error_notice, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{button, div, el, group, text_el, tr_el, El};
use crate::loader::load;
use crate::state::locale::{text_opt, use_domain_locale};
use crate::state::program::use_program_date;

pub const PARTNER_ROLES: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin, Role::Consultant];

pub fn eligibility_page() -> El {
    require_sign_in(PARTNER_ROLES, eligibility)
}

fn eligibility() -> El {
    let locale = use_domain_locale();
    let today = use_program_date();
    let program = load(api::get_partner_program);
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let saved_text = tr!(saved_done);

    // Apply locally, send, then take the server's program (or reload it after a refusal).
    let change = move |local: Box<dyn Fn(&mut PartnerProgram)>, method: Method, path: String, body: Option<String>| {
        program.data.update(|data| {
            if let Some(data) = data {
                local(data);
            }
        });
        failure.set(None);
        saved.set(None);
        leptos::task::spawn_local(async move {
            match api::partner_change(method, &path, body).await {
                Ok(()) => saved.set(Some(saved_text.get_untracked().to_owned())),
                Err(error) => failure.set(Some(error)),
            }
            program.reload();
        });
    };

    let report = Memo::new(move |_| {
        let today = today.get()?;
        program.data.with(|data| {
            data.as_ref()
                .map(|data| evaluate_eligibility(&data.eligibility_profile(), &EligibilityPolicy::published(), today))
        })
    });

    let report_view = move || {
        let locale = locale.get();
        let report = report.get()?;
        let offerings = report
            .offerings
            .iter()
            .map(|offering| {
                let engagements = offering
                    .engagements
                    .iter()
                    .map(|engagement| {
                        let word =
                            if engagement.eligible { tr_in!(locale, eligible) } else { tr_in!(locale, not_eligible) };
                        el("details")
                            .class("engagement")
                            .flag("open", !engagement.eligible)
                            .child(
                                el("summary")
                                    .child(
                                        text_el("span", &engagement.engagement.message(locale))
                                            .class("engagement__name"),
                                    )
                                    .child(text_el("span", word).class(if engagement.eligible {
                                        "status status--paid"
                                    } else {
                                        "status status--expired"
                                    })),
                            )
                            .child(checklist(&engagement.checks, locale))
                    })
                    .collect();
                el("section")
                    .class("card offering")
                    .child(
                        div("offering__head")
                            .child(text_el("h3", &offering.offering.message(locale)))
                            .child(status_badge(offering.status, locale)),
                    )
                    .child(checklist(&offering.checks, locale))
                    .child(div("engagements").children(engagements))
            })
            .collect();
        Some(group(vec![
            el("section")
                .class("card")
                .attr("aria-labelledby", "company-title")
                .child(text_el("h2", tr_in!(locale, company_requirements)).id("company-title"))
                .child(checklist(&report.company, locale)),
            text_el("h2", tr_in!(locale, offerings_title)),
            div("offerings").children(offerings),
        ]))
    };

    group(vec![
        tr_el("h1", tr!(eligibility_title)),
        tr_el("p", tr!(eligibility_intro)).class("lead"),
        error_notice(program.error.into()),
        error_notice(failure.into()),
        success_notice(saved.into()),
        div("eligibility-layout").child(div("eligibility-report").dynamic(report_view)).child(
            div("eligibility-editors").dynamic(move || {
                // Editors are built once the program is loaded, not again on every change.
                program.data.with(Option::is_some).then(|| untrack(|| editors(program.data, Box::new(change))))
            }),
        ),
    ])
}

type Change = Box<dyn Fn(Box<dyn Fn(&mut PartnerProgram)>, Method, String, Option<String>)>;

fn editors(program: RwSignal<Option<PartnerProgram>>, change: Change) -> El {
    let change = std::rc::Rc::new(change);
    let locale = use_domain_locale();
    let today = use_program_date();

    // Company-level actions.
    let training = {
        let change = change.clone();
        move || {
            change(
                Box::new(|data| data.compliance_training_completed = true),
                Method::Post,
                partner_api::PARTNER_COMPLIANCE_TRAINING.to_owned(),
                None,
            )
        }
    };
    let renew = {
        let change = change.clone();
        move || {
            let next = today.get_untracked().map(planning_domain::profile::next_renewal_due_on);
            change(
                Box::new(move |data| data.renewal_due_on = next),
                Method::Post,
                partner_api::PARTNER_RENEWAL.to_owned(),
                None,
            )
        }
    };

    // A competency: which one, the level, valid through.
    let competency = RwSignal::new(String::new());
    let level = RwSignal::new("silver".to_owned());
    let expires = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let expires_error = text_opt(move |locale| {
        tried.get().then(|| parse_date(&expires.get()).err().map(|error| error.message(locale))).flatten()
    });
    let competency_error = text_opt(move |locale| {
        (tried.get() && competency.with(String::is_empty)).then(|| tr_in!(locale, choice_required).to_owned())
    });
    let save_competency = {
        let change = change.clone();
        move || {
            tried.set(true);
            let (Some(index), Ok(expires_on)) =
                (competency.get_untracked().parse::<usize>().ok(), parse_date(&expires.get_untracked()))
            else {
                return;
            };
            let Some(details) = COMPETENCIES.get(index) else { return };
            let level = if level.get_untracked() == "gold" { CompetencyLevel::Gold } else { CompetencyLevel::Silver };
            let id = details.id;
            let body = to_body(&SetCompetency { level, expires_on: expires_on.to_string() });
            change(
                Box::new(move |data| {
                    data.competencies.retain(|held| held.competency != id);
                    data.competencies.push(HeldCompetency { competency: id, level, expires_on });
                }),
                Method::Put,
                partner_api::partner_competency_path(id),
                Some(body),
            );
        }
    };
    let competency_options = Signal::derive(move || {
        let locale = locale.get();
        COMPETENCIES.iter().enumerate().map(|(index, item)| (index.to_string(), item.id.message(locale))).collect()
    });
    let level_options = Signal::derive(move || {
        let locale = locale.get();
        [CompetencyLevel::Silver, CompetencyLevel::Gold]
            .into_iter()
            .map(|level| {
                (if level == CompetencyLevel::Gold { "gold" } else { "silver" }.to_owned(), level.message(locale))
            })
            .collect()
    });

    // A location.
    let location_id = RwSignal::new(String::new());
    let location_country = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let location_tried = RwSignal::new(false);
    let location_id_error = text_opt(move |locale| {
        location_tried
            .get()
            .then(|| planning_domain::LocationId::parse(&location_id.get()).err().map(|error| error.message(locale)))
            .flatten()
    });
    let country_error = text_opt(move |locale| {
        location_tried
            .get()
            .then(|| CountryCode::parse(&location_country.get()).err().map(|error| error.message(locale)))
            .flatten()
    });
    let add_location = {
        let change = change.clone();
        move || {
            location_tried.set(true);
            let (Ok(id), Ok(country)) = (
                planning_domain::LocationId::parse(&location_id.get_untracked()),
                CountryCode::parse(&location_country.get_untracked()),
            ) else {
                return;
            };
            let body = NewLocation {
                location_id: id.as_str().to_owned(),
                country: country.as_str().to_owned(),
                city: city.get_untracked(),
            };
            let record = PartnerLocationRecord { location_id: id, country, city: city.get_untracked() };
            change(
                Box::new(move |data| data.locations.push(record.clone())),
                Method::Post,
                partner_api::PARTNER_LOCATIONS.to_owned(),
                Some(to_body(&body)),
            );
        }
    };
    let country_options = country_options();

    // A passed exam for a consultant.
    let consultant = RwSignal::new(String::new());
    let exam = RwSignal::new(String::new());
    let exam_competency = RwSignal::new(String::new());
    let exam_tried = RwSignal::new(false);
    let exam_error = text_opt(move |locale| {
        exam_tried
            .get()
            .then(|| planning_domain::profile::ExamCode::parse(&exam.get()).err().map(|error| error.message(locale)))
            .flatten()
    });
    let add_exam = {
        let change = change.clone();
        move || {
            exam_tried.set(true);
            let (Ok(consultant_id), Ok(code), Some(details)) = (
                consultant.get_untracked().parse::<i64>(),
                planning_domain::profile::ExamCode::parse(&exam.get_untracked()),
                exam_competency.get_untracked().parse::<usize>().ok().and_then(|index| COMPETENCIES.get(index)),
            ) else {
                return;
            };
            let passed =
                planning_domain::eligibility::PassedExam { exam: code.as_str().to_owned(), counts_toward: details.id };
            let body = NewPassedExam { exam: code.into_string(), counts_toward: details.id };
            change(
                Box::new(move |data| {
                    if let Some(person) =
                        data.consultants.iter_mut().find(|person| person.consultant_id == consultant_id)
                    {
                        person.passed_exams.push(passed.clone());
                    }
                }),
                Method::Post,
                partner_api::partner_consultant_exams_path(consultant_id),
                Some(to_body(&body)),
            );
        }
    };
    let consultant_options = Signal::derive(move || {
        program.with(|data| {
            data.iter()
                .flat_map(|data| data.consultants.iter())
                .map(|person| (person.consultant_id.to_string(), person.display_name.clone()))
                .collect()
        })
    });

    let locations_list = el("ul").class("plain-list").dynamic_children(move || {
        let remove_change = change.clone();
        program.with(|data| {
            data.iter()
                .flat_map(|data| data.locations.iter())
                .map(|place| {
                    let id = place.location_id.clone();
                    let change = remove_change.clone();
                    el("li")
                        .text(&format!("{} · {} ({})", place.location_id.as_str(), place.city, place.country.as_str()))
                        .text(" ")
                        .child(button("button button--small", tr!(remove)).on_click(move || {
                            let removed = id.clone();
                            change(
                                Box::new(move |data| data.locations.retain(|place| place.location_id != removed)),
                                Method::Delete,
                                partner_api::partner_location_path(&id),
                                None,
                            )
                        }))
                })
                .collect()
        })
    });

    group(vec![
        el("section")
            .class("card form")
            .attr("aria-labelledby", "company-actions-title")
            .child(tr_el("h2", tr!(company_actions_title)).id("company-actions-title"))
            .child(
                div("actions-row")
                    .child(button("button", tr!(mark_training_done)).on_click(training))
                    .child(button("button", tr!(renew_membership)).on_click(renew)),
            ),
        el("form")
            .class("card form")
            .attr("aria-labelledby", "competency-title")
            .on_submit(save_competency)
            .child(tr_el("h2", tr!(competency_editor_title)).id("competency-title"))
            .child(Field::new("competency", tr!(competency_label)).select(
                competency,
                tr!(choose_one),
                competency_options,
                competency_error,
            ))
            .child(Field::new("competency-level", tr!(competency_level_label)).select(
                level,
                tr!(choose_one),
                level_options,
                Signal::stored(None),
            ))
            .child(
                Field::new("competency-expires", tr!(valid_through_label)).kind("date").input(expires, expires_error),
            )
            .child(el("button").attr("type", "submit").class("button").tr(tr!(save_competency))),
        el("form")
            .class("card form")
            .attr("aria-labelledby", "location-title")
            .on_submit(add_location)
            .child(tr_el("h2", tr!(locations_title)).id("location-title"))
            .child(locations_list)
            .child(Field::new("location-id", tr!(location_id_label)).input(location_id, location_id_error))
            .child(Field::new("location-country", tr!(country_label)).select(
                location_country,
                tr!(choose_one),
                country_options,
                country_error,
            ))
            .child(Field::new("location-city", tr!(city_label)).input(city, Signal::stored(None)))
            .child(el("button").attr("type", "submit").class("button").tr(tr!(add_location))),
        el("form")
            .class("card form")
            .attr("aria-labelledby", "exam-title")
            .on_submit(add_exam)
            .child(tr_el("h2", tr!(exam_editor_title)).id("exam-title"))
            .child(Field::new("exam-consultant", tr!(consultant_label)).select(
                consultant,
                tr!(choose_one),
                consultant_options,
                Signal::stored(None),
            ))
            .child(Field::new("exam-code", tr!(exam_code_label)).input(exam, exam_error))
            .child(Field::new("exam-competency", tr!(counts_toward_label)).select(
                exam_competency,
                tr!(choose_one),
                competency_options,
                Signal::stored(None),
            ))
            .child(el("button").attr("type", "submit").class("button").tr(tr!(add_exam))),
    ])
}
