//! `/operations/partners`: the program operator's records of partners' competencies and passed
//! exams (issue 17 item 5). Find a partner, read its records and their audit trail, and change
//! them; every change is in force from the program date and answered with the records as stored.

use leptos::prelude::*;
use planning_domain::api::partners::{NewPassedExam, PartnerProgram, SetCompetency};
use planning_domain::api::qualifications::{
    operator_competency_path, operator_exam_path, operator_exams_path, PartnerQualifications,
};
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
pub fn held_words(competency: CompetencyId, level: CompetencyLevel, locale: Locale) -> String {
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

/// One change to send: verb, path, body.
type Change = (Method, String, Option<String>);

#[component]
fn PartnerRecords() -> impl IntoView {
    let locale = use_domain_locale();
    // The search: the name typed, and the name last searched (every partner at first).
    let name = RwSignal::new(String::new());
    let searched = RwSignal::new(String::new());
    let found = LocalResource::new(move || api::find_partners(searched.get()));
    let selected = RwSignal::new(None::<i64>);
    // The selected partner's records as last answered, kept while they reload or after a failure.
    let records = RwSignal::new(None::<PartnerQualifications>);
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let loaded = LocalResource::new(move || {
        let partner = selected.get();
        async move {
            match partner {
                Some(partner) => Some(api::partner_records(partner).await),
                None => None,
            }
        }
    });
    Effect::new(move |_| {
        loaded.with(|answer| match answer {
            Some(Some(Ok(data))) => {
                records.set(Some(data.clone()));
                failure.set(None);
            }
            Some(Some(Err(error))) => failure.set(Some(error.clone())),
            _ => {}
        })
    });
    let saved_text = tr!(saved_done);
    let change = Action::new_local(move |(method, path, body): &Change| {
        let (method, path, body) = (*method, path.clone(), body.clone());
        let done = saved_text.get_untracked();
        failure.set(None);
        saved.set(None);
        async move {
            match api::change_records(method, &path, body).await {
                Ok(data) => {
                    records.set(Some(data));
                    saved.set(Some(done.to_owned()));
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });

    let results = move || {
        found.with(|answer| {
            let partners = answer.as_ref()?.as_ref().ok()?;
            if partners.is_empty() {
                return Some(view! { <p class="co-muted">{tr!(records_none_found)}</p> }.into_any());
            }
            let items = partners
                .iter()
                .map(|partner| {
                    let (id, label) = (partner.id, partner.name.clone());
                    let choose = move |_| {
                        saved.set(None);
                        selected.set(Some(id));
                    };
                    view! {
                        <li>
                            <button
                                type="button"
                                class="button button--small"
                                aria-pressed=move || if selected.get() == Some(id) { "true" } else { "false" }
                                on:click=choose
                            >
                                {label}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            Some(view! { <ul class="plain-list actions-row">{items}</ul> }.into_any())
        })
    };
    let search_error = Signal::derive(move || found.with(|answer| answer.as_ref()?.as_ref().err().cloned()));

    let details = move || {
        let shown = records.with(|data| data.as_ref().map(|data| data.program.partner_id));
        (shown.is_some() && shown == selected.get()).then(|| untrack(|| view! { <Records records change locale /> }))
    };

    view! {
        <div class="co-page group">
            <h1>{tr!(records_title)}</h1>
            <p class="lead">{tr!(records_intro)}</p>
            <form
                class="card form"
                role="search"
                aria-labelledby="records-search-title"
                novalidate
                on:submit=on_submit(Box::new(move || searched.set(name.get_untracked())))
            >
                <h2 id="records-search-title">{tr!(records_results_title)}</h2>
                <InputField id="records-name" label=tr!(records_find_label) value=name error=Signal::stored(None::<String>) />
                <button type="submit" class="button">
                    {tr!(records_find)}
                </button>
                <ErrorNotice error=search_error />
                {results}
            </form>
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            {details}
        </div>
    }
}

#[component]
fn Records(
    records: RwSignal<Option<PartnerQualifications>>,
    change: Action<Change, ()>,
    locale: Signal<Locale>,
) -> impl IntoView {
    let partner_id = records.with_untracked(|data| data.as_ref().map(|data| data.program.partner_id).unwrap_or(0));
    let program = move |read: &dyn Fn(&PartnerProgram) -> AnyView| {
        records.with(|data| data.as_ref().map(|data| read(&data.program)))
    };
    let no_error = Signal::stored(None::<String>);
    let pending = change.pending();

    let competencies = move || {
        let locale = locale.get();
        program(&|program: &PartnerProgram| {
            if program.competencies.is_empty() {
                return view! { <p class="co-muted">{tr_in!(locale, records_no_competencies)}</p> }.into_any();
            }
            let items = program
                .competencies
                .iter()
                .map(|held| {
                    let line = competency_line(held, locale);
                    let label = tr_in!(locale, records_remove_label, &held_words(held.competency, held.level, locale));
                    let path = operator_competency_path(partner_id, held.competency);
                    let remove = move |_| {
                        change.dispatch_local((Method::Delete, path.clone(), None));
                    };
                    view! {
                        <li>
                            {line} " "
                            <button type="button" class="button button--small" aria-label=label disabled=pending on:click=remove>
                                {tr_in!(locale, remove)}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="plain-list">{items}</ul> }.into_any()
        })
    };

    let consultants = move || {
        let locale = locale.get();
        program(&|program: &PartnerProgram| {
            let people = program
                .consultants
                .iter()
                .map(|person| {
                    let exams = if person.passed_exams.is_empty() {
                        view! { <li class="co-muted">{tr_in!(locale, records_no_exams)}</li> }.into_any()
                    } else {
                        person
                            .passed_exams
                            .iter()
                            .map(|exam| {
                                let path = operator_exam_path(partner_id, person.consultant_id, &exam.exam);
                                let label = tr_in!(locale, records_remove_label, &format!("{} · {}", person.display_name, exam.exam));
                                let remove = move |_| {
                                    change.dispatch_local((Method::Delete, path.clone(), None));
                                };
                                view! {
                                    <li>
                                        {exam_line(&exam.exam, exam.counts_toward, locale)} " "
                                        <button type="button" class="button button--small" aria-label=label disabled=pending on:click=remove>
                                            {tr_in!(locale, remove)}
                                        </button>
                                    </li>
                                }
                                .into_any()
                            })
                            .collect_view()
                            .into_any()
                    };
                    view! {
                        <li>
                            <strong>{person.display_name.clone()}</strong>
                            <ul class="plain-list">{exams}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="plain-list">{people}</ul> }.into_any()
        })
    };

    let audit = move || {
        let locale = locale.get();
        records.with(|data| {
            let data = data.as_ref()?;
            let lines = data
                .audit
                .iter()
                .map(|line| {
                    let text = tr_in!(
                        locale,
                        records_audit_line,
                        &long_date(line.program_date, locale),
                        &line.actor_name,
                        line.messages.get(locale)
                    );
                    view! { <li>{text}</li> }
                })
                .collect_view();
            Some(view! { <ol class="plain-list">{lines}</ol> })
        })
    };

    // Record or change a competency.
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
        change.dispatch_local((Method::Put, operator_competency_path(partner_id, details.id), Some(body)));
    };
    let competency_options = Signal::derive(move || {
        let locale = locale.get();
        COMPETENCIES.iter().enumerate().map(|(index, item)| (index.to_string(), item.id.message(locale))).collect()
    });
    let level_options = Signal::derive(move || {
        let locale = locale.get();
        [(CompetencyLevel::Silver, "silver"), (CompetencyLevel::Gold, "gold")]
            .into_iter()
            .map(|(level, key)| (key.to_owned(), level.message(locale)))
            .collect()
    });

    // Record a passed exam.
    let consultant = RwSignal::new(String::new());
    let exam = RwSignal::new(String::new());
    let exam_competency = RwSignal::new(String::new());
    let exam_tried = RwSignal::new(false);
    let exam_error = text_opt(move |locale| {
        exam_tried.get().then(|| ExamCode::parse(&exam.get()).err().map(|error| error.message(locale))).flatten()
    });
    let consultant_error = text_opt(move |locale| {
        (exam_tried.get() && consultant.with(String::is_empty)).then(|| tr_in!(locale, choice_required).to_owned())
    });
    let exam_competency_error = text_opt(move |locale| {
        (exam_tried.get() && exam_competency.with(String::is_empty)).then(|| tr_in!(locale, choice_required).to_owned())
    });
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
        change.dispatch_local((Method::Post, operator_exams_path(partner_id, consultant_id), Some(body)));
    };
    let consultant_options = Signal::derive(move || {
        records.with(|data| {
            data.iter()
                .flat_map(|data| data.program.consultants.iter())
                .map(|person| (person.consultant_id.to_string(), person.display_name.clone()))
                .collect()
        })
    });
    let name = move || records.with(|data| data.as_ref().map(|data| data.program.name.clone()));

    view! {
        <section class="group" aria-labelledby="records-partner-title">
            <h2 id="records-partner-title">{name}</h2>
            <div class="eligibility-layout">
                <div class="group">
                    <section class="card" aria-labelledby="records-competencies-title">
                        <h3 id="records-competencies-title">{tr!(records_competencies_title)}</h3>
                        {competencies}
                    </section>
                    <section class="card" aria-labelledby="records-exams-title">
                        <h3 id="records-exams-title">{tr!(records_exams_title)}</h3>
                        {consultants}
                    </section>
                    <section class="card" aria-labelledby="records-audit-title">
                        <h3 id="records-audit-title">{tr!(records_audit_title)}</h3>
                        {audit}
                    </section>
                </div>
                <div class="group">
                    <form
                        class="card form"
                        aria-labelledby="competency-title"
                        novalidate
                        on:submit=on_submit(Box::new(save_competency))
                    >
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
                        <InputField
                            id="competency-expires"
                            label=tr!(valid_through_label)
                            kind="date"
                            value=expires
                            error=expires_error
                        />
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
                            error=consultant_error
                        />
                        <InputField id="exam-code" label=tr!(exam_code_label) value=exam error=exam_error />
                        <SelectField
                            id="exam-competency"
                            label=tr!(counts_toward_label)
                            value=exam_competency
                            choose=tr!(choose_one)
                            options=competency_options
                            error=exam_competency_error
                        />
                        <button type="submit" class="button" disabled=pending>
                            {tr!(add_exam)}
                        </button>
                    </form>
                </div>
            </div>
        </section>
    }
}
