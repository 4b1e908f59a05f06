//! `/operations/partners`: the program operator's records of partners' competencies and passed
//! exams (issue 17 item 5). Find a partner, read its records and their audit trail, and change
//! them; every change is in force from the program date, and the records and trail are read
//! again after it. One `Action` runs every step, so the page adds little to the bundle.

use leptos::prelude::*;
use planning_domain::api::partners::{NewPassedExam, PartnerProgram, SetCompetency};
use planning_domain::api::qualifications::{operator_competency_path, operator_exam_path, operator_exams_path};
use planning_domain::api::vouchers::AuditLine;
use planning_domain::api::Organization;
use planning_domain::catalog::COMPETENCIES;
use planning_domain::eligibility::HeldCompetency;
use planning_domain::parse::parse_date;
use planning_domain::profile::ExamCode;
use planning_domain::{CompetencyId, CompetencyLevel, Locale, Localize, Role};

use crate::api::{self, to_body, ApiError, Method};
use crate::components::form_field::{InputField, SelectField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::format::long_date;
use crate::state::locale::{text_opt, use_domain_locale};

#[component]
pub fn PartnerRecordsPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=&[Role::ProgramOperator]>
            <PartnerRecords />
        </RequireSignIn>
    }
}

/// "Gold Messaging" in English, "Messaging Gold" in Korean, as the domain's findings say it.
fn held_words(competency: CompetencyId, level: CompetencyLevel, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{} {}", level.message(locale), competency.message(locale)),
        Locale::Ko => format!("{} {}", competency.message(locale), level.message(locale)),
    }
}

/// One held competency as a line of text: which, at what level, valid through when.
pub fn competency_line(held: &HeldCompetency, locale: Locale) -> String {
    let words = held_words(held.competency, held.level, locale);
    tr_in!(locale, records_competency_line, &words, &long_date(held.expires_on, locale))
}

/// One passed exam as a line of text.
pub fn exam_line(exam: &str, counts_toward: CompetencyId, locale: Locale) -> String {
    tr_in!(locale, records_exam_line, exam, &counts_toward.message(locale))
}

/// A form's submit handler: the browser's own submission is prevented.
fn on_submit(handler: Box<dyn Fn()>) -> impl FnMut(web_sys::SubmitEvent) + 'static {
    move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        handler();
    }
}

/// What the page asks of the server: partners by name, one partner's records, or a change of
/// them (verb, path, body) after which the records are read again.
#[derive(Clone)]
enum Step {
    Find(String),
    Show(i64),
    Change(i64, Method, String, Option<String>),
}

/// A list line with its remove button (named after the item for assistive technology).
fn removable(line: String, label: String, remove: Step, step: Action<Step, ()>) -> AnyView {
    view! {
        <li>
            {line} " "
            <button
                type="button"
                class="button button--small"
                aria-label=label
                disabled=step.pending()
                on:click=move |_| {
                    step.dispatch_local(remove.clone());
                }
            >
                {tr!(remove)}
            </button>
        </li>
    }
    .into_any()
}

#[component]
fn PartnerRecords() -> impl IntoView {
    let locale = use_domain_locale();
    let name = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<Organization>>);
    let program = RwSignal::new(None::<PartnerProgram>);
    let audit = RwSignal::new(Vec::<AuditLine>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let saved_text = tr!(saved_done);
    let step = Action::new_local(move |step: &Step| {
        let (step, done) = (step.clone(), saved_text.get_untracked());
        failure.set(None);
        saved.set(None);
        async move {
            let partner = match step {
                Step::Find(name) => {
                    match api::find_partners(&name).await {
                        Ok(list) => found.set(Some(list)),
                        Err(error) => failure.set(Some(error)),
                    }
                    return;
                }
                Step::Show(partner) => partner,
                Step::Change(partner, method, path, body) => {
                    match api::partner_change(method, &path, body).await {
                        Ok(()) => saved.set(Some(done.to_owned())),
                        Err(error) => failure.set(Some(error)),
                    }
                    partner
                }
            };
            match api::operator_partner_program(partner).await {
                Ok(data) => program.set(Some(data)),
                Err(error) => failure.set(Some(error)),
            }
            match api::operator_partner_audit(partner).await {
                Ok(lines) => audit.set(lines),
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    step.dispatch_local(Step::Find(String::new()));
    let shown = move || program.with(|data| data.as_ref().map(|data| data.partner_id));

    let results = move || {
        found.with(|list| {
            let list = list.as_ref()?;
            if list.is_empty() {
                return Some(view! { <p class="co-muted">{tr!(records_none_found)}</p> }.into_any());
            }
            let items = list
                .iter()
                .map(|partner| {
                    let id = partner.id;
                    view! {
                        <li>
                            <button
                                type="button"
                                class="button button--small"
                                aria-pressed=move || (shown() == Some(id)).to_string()
                                on:click=move |_| {
                                    step.dispatch_local(Step::Show(id));
                                }
                            >
                                {partner.name.clone()}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            Some(view! { <ul class="plain-list actions-row">{items}</ul> }.into_any())
        })
    };

    let records = move || {
        let locale = locale.get();
        program.with(|data| {
            let data = data.as_ref()?;
            let partner = data.partner_id;
            let competencies = data
                .competencies
                .iter()
                .map(|held| {
                    let path = operator_competency_path(partner, held.competency);
                    let label = tr_in!(locale, records_remove_label, &held_words(held.competency, held.level, locale));
                    removable(
                        competency_line(held, locale),
                        label,
                        Step::Change(partner, Method::Delete, path, None),
                        step,
                    )
                })
                .collect_view();
            let exams = data
                .consultants
                .iter()
                .flat_map(|person| {
                    person.passed_exams.iter().map(move |exam| {
                        let path = operator_exam_path(partner, person.consultant_id, &exam.exam);
                        let item = format!("{} · {}", person.display_name, exam.exam);
                        let line =
                            format!("{}: {}", person.display_name, exam_line(&exam.exam, exam.counts_toward, locale));
                        let label = tr_in!(locale, records_remove_label, &item);
                        removable(line, label, Step::Change(partner, Method::Delete, path, None), step)
                    })
                })
                .collect_view();
            let trail = audit.with(|lines| {
                lines
                    .iter()
                    .map(|line| {
                        let date = long_date(line.program_date, locale);
                        let text =
                            tr_in!(locale, records_audit_line, &date, &line.actor_name, line.messages.get(locale));
                        view! { <li>{text}</li> }
                    })
                    .collect_view()
            });
            Some(view! {
                <h2 id="records-partner-title">{data.name.clone()}</h2>
                <section class="card" aria-labelledby="records-competencies-title">
                    <h3 id="records-competencies-title">{tr_in!(locale, records_competencies_title)}</h3>
                    <ul class="plain-list">{competencies}</ul>
                </section>
                <section class="card" aria-labelledby="records-exams-title">
                    <h3 id="records-exams-title">{tr_in!(locale, records_exams_title)}</h3>
                    <ul class="plain-list">{exams}</ul>
                </section>
                <section class="card" aria-labelledby="records-audit-title">
                    <h3 id="records-audit-title">{tr_in!(locale, records_audit_title)}</h3>
                    <ol class="plain-list">{trail}</ol>
                </section>
            })
        })
    };
    // The editors appear once a partner is shown; they are built once, not on every change.
    let editors = move || shown().is_some().then(|| untrack(|| view! { <Editors program step /> }));

    view! {
        <div class="co-page group">
            <h1>{tr!(records_title)}</h1>
            <p class="lead">{tr!(records_intro)}</p>
            <form
                class="card form"
                role="search"
                aria-labelledby="records-search-title"
                novalidate
                on:submit=on_submit(Box::new(move || {
                    step.dispatch_local(Step::Find(name.get_untracked()));
                }))
            >
                <h2 id="records-search-title">{tr!(records_results_title)}</h2>
                <InputField id="records-name" label=tr!(records_find_label) value=name error=Signal::stored(None::<String>) />
                <button type="submit" class="button">
                    {tr!(records_find)}
                </button>
                {results}
            </form>
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            <div class="eligibility-layout">
                <div class="eligibility-report">{records}</div>
                <div class="eligibility-editors">{editors}</div>
            </div>
        </div>
    }
}

/// The two forms: record or change a competency, record a passed exam.
#[component]
fn Editors(program: RwSignal<Option<PartnerProgram>>, step: Action<Step, ()>) -> impl IntoView {
    let locale = use_domain_locale();
    let no_error = Signal::stored(None::<String>);
    let pending = step.pending();
    let partner = move || program.with_untracked(|data| data.as_ref().map(|data| data.partner_id).unwrap_or(0));

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
    let save_competency = move || {
        tried.set(true);
        let (Some(details), Ok(expires_on)) = (
            competency.get_untracked().parse::<usize>().ok().and_then(|index| COMPETENCIES.get(index)),
            parse_date(&expires.get_untracked()),
        ) else {
            return;
        };
        let level = if level.get_untracked() == "gold" { CompetencyLevel::Gold } else { CompetencyLevel::Silver };
        let body = to_body(&SetCompetency { level, expires_on: expires_on.to_string() });
        let path = operator_competency_path(partner(), details.id);
        step.dispatch_local(Step::Change(partner(), Method::Put, path, Some(body)));
    };
    let competency_options = Signal::derive(move || {
        let locale = locale.get();
        COMPETENCIES.iter().enumerate().map(|(index, item)| (index.to_string(), item.id.message(locale))).collect()
    });
    let level_options = Signal::derive(move || {
        let locale = locale.get();
        vec![
            ("silver".to_owned(), CompetencyLevel::Silver.message(locale)),
            ("gold".to_owned(), CompetencyLevel::Gold.message(locale)),
        ]
    });

    let consultant = RwSignal::new(String::new());
    let exam = RwSignal::new(String::new());
    let exam_competency = RwSignal::new(String::new());
    let exam_tried = RwSignal::new(false);
    let exam_error = text_opt(move |locale| {
        exam_tried.get().then(|| ExamCode::parse(&exam.get()).err().map(|error| error.message(locale))).flatten()
    });
    let choice_error = move |value: RwSignal<String>| {
        text_opt(move |locale| {
            (exam_tried.get() && value.with(String::is_empty)).then(|| tr_in!(locale, choice_required).to_owned())
        })
    };
    let add_exam = move || {
        exam_tried.set(true);
        let (Ok(consultant_id), Ok(code), Some(details)) = (
            consultant.get_untracked().parse::<i64>(),
            ExamCode::parse(&exam.get_untracked()),
            exam_competency.get_untracked().parse::<usize>().ok().and_then(|index| COMPETENCIES.get(index)),
        ) else {
            return;
        };
        let body = to_body(&NewPassedExam { exam: code.into_string(), counts_toward: details.id });
        let path = operator_exams_path(partner(), consultant_id);
        step.dispatch_local(Step::Change(partner(), Method::Post, path, Some(body)));
    };
    let consultant_options = Signal::derive(move || {
        program.with(|data| {
            data.iter()
                .flat_map(|data| data.consultants.iter())
                .map(|person| (person.consultant_id.to_string(), person.display_name.clone()))
                .collect()
        })
    });

    view! {
        <form class="card form" aria-labelledby="competency-title" novalidate on:submit=on_submit(Box::new(save_competency))>
            <h3 id="competency-title">{tr!(competency_editor_title)}</h3>
            <SelectField
                id="competency"
                label=tr!(competency_label)
                value=competency
                choose=tr!(choose_one)
                options=competency_options
                error=competency_error
            />
            <SelectField
                id="competency-level"
                label=tr!(competency_level_label)
                value=level
                choose=tr!(choose_one)
                options=level_options
                error=no_error
            />
            <InputField id="competency-expires" label=tr!(valid_through_label) kind="date" value=expires error=expires_error />
            <button type="submit" class="button" disabled=pending>
                {tr!(save_competency)}
            </button>
        </form>
        <form class="card form" aria-labelledby="exam-title" novalidate on:submit=on_submit(Box::new(add_exam))>
            <h3 id="exam-title">{tr!(exam_editor_title)}</h3>
            <SelectField
                id="exam-consultant"
                label=tr!(consultant_label)
                value=consultant
                choose=tr!(choose_one)
                options=consultant_options
                error=choice_error(consultant)
            />
            <InputField id="exam-code" label=tr!(exam_code_label) value=exam error=exam_error />
            <SelectField
                id="exam-competency"
                label=tr!(counts_toward_label)
                value=exam_competency
                choose=tr!(choose_one)
                options=competency_options
                error=choice_error(exam_competency)
            />
            <button type="submit" class="button" disabled=pending>
                {tr!(add_exam)}
            </button>
        </form>
    }
}
