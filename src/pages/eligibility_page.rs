//! `/partner/eligibility`: the company's checklist per offering and engagement, computed in the
//! browser by the shared crate from the partner's program data, and that data's editors; the
//! competencies and passed exams are shown read-only ("managed by the program": only the
//! program operator records them). An edit
//! changes the local copy first (the checklist follows at once), then the server's answer
//! replaces it, so both always agree; a refused edit reloads the server's data.

use leptos::prelude::*;
use planning_domain::api::partners::{self as partner_api, NewLocation, PartnerLocationRecord, PartnerProgram};
use planning_domain::eligibility::{evaluate_eligibility, EngagementChecklist, OfferingChecklist};
use planning_domain::{Action as Permission, CountryCode, Locale, Localize, Role};

use crate::api::{self, to_body, ApiError, Method};
use crate::components::checklist::{checklist, status_badge};
use crate::components::form_field::{country_options, InputField, SelectField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::pages::partner_records_page::{competency_line, exam_line};
use crate::state::locale::{text_opt, use_domain_locale};
use crate::state::program::{use_eligibility_policy, use_program_date};
use crate::state::session::use_session;

pub const PARTNER_ROLES: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin, Role::Consultant];

#[component]
pub fn EligibilityPage() -> impl IntoView {
    view! {
        <RequireSignIn roles=PARTNER_ROLES>
            <Eligibility />
        </RequireSignIn>
    }
}

/// One edit of the program data: applied to the local copy at once, then sent to `path`.
struct Edit {
    local: Box<dyn Fn(&mut PartnerProgram)>,
    method: Method,
    path: String,
    body: Option<String>,
}

/// Sends `edit` (see [`Edit`]).
fn send(
    action: Action<Edit, ()>,
    local: impl Fn(&mut PartnerProgram) + 'static,
    method: Method,
    path: String,
    body: Option<String>,
) {
    action.dispatch_local(Edit { local: Box::new(local), method, path, body });
}

#[component]
fn Eligibility() -> impl IntoView {
    let locale = use_domain_locale();
    let today = use_program_date();
    let resource = LocalResource::new(api::get_partner_program);
    // The last program the server gave (edited locally until the next answer), and the last
    // failure to load it: the data stays on screen while it reloads, and after a failure.
    let program = RwSignal::new(None::<PartnerProgram>);
    let load_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        resource.with(|answer| match answer {
            Some(Ok(data)) => {
                program.set(Some(data.clone()));
                load_error.set(None);
            }
            Some(Err(error)) => load_error.set(Some(error.clone())),
            None => {}
        })
    });
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let saved_text = tr!(saved_done);

    // Apply locally, send, then take the server's program (or reload it after a refusal).
    let edit = Action::new_local(move |edit: &Edit| {
        program.update(|data| {
            if let Some(data) = data {
                (edit.local)(data);
            }
        });
        failure.set(None);
        saved.set(None);
        let done = saved_text.get_untracked();
        let (method, path, body) = (edit.method, edit.path.clone(), edit.body.clone());
        async move {
            match api::partner_change(method, &path, body).await {
                Ok(()) => saved.set(Some(done.to_owned())),
                Err(error) => failure.set(Some(error)),
            }
            resource.refetch();
        }
    });

    let policy = use_eligibility_policy();
    let report = Memo::new(move |_| {
        let (today, policy) = (today.get()?, policy.get()?);
        program.with(|data| data.as_ref().map(|data| evaluate_eligibility(&data.eligibility_profile(), &policy, today)))
    });

    let report_view = move || {
        let locale = locale.get();
        report.with(|report| {
            let report = report.as_ref()?;
            let offerings = report.offerings.iter().map(|offering| offering_card(offering, locale)).collect_view();
            Some(view! {
                <div class="group">
                    <section class="card" aria-labelledby="company-title">
                        <h2 id="company-title">{tr_in!(locale, company_requirements)}</h2>
                        {checklist(&report.company, locale)}
                    </section>
                    <h2>{tr_in!(locale, offerings_title)}</h2>
                    <div class="offerings">{offerings}</div>
                </div>
            })
        })
    };
    // The editors are built once the program is loaded, not again on every change, and only for
    // a role that may change the data (a consultant reads the checklist).
    let may_edit = untrack(|| use_session().role()).is_some_and(|role| role.may(Permission::ManagePartnerProgram));
    let loaded = Memo::new(move |_| may_edit && program.with(Option::is_some));
    let editors = move || loaded.get().then(|| untrack(|| view! { <Editors program edit /> }));

    view! {
        <div class="group">
            <h1>{tr!(eligibility_title)}</h1>
            <p class="lead">{tr!(eligibility_intro)}</p>
            <ErrorNotice error=load_error />
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            <div class="eligibility-layout">
                <div class="eligibility-report">{report_view}</div>
                <div class="eligibility-editors">
                    <ManagedRecords program />
                    {editors}
                </div>
            </div>
        </div>
    }
}

/// An offering's card: its status, its own checks, and every engagement's.
fn offering_card(offering: &OfferingChecklist, locale: Locale) -> impl IntoView {
    let engagements = offering.engagements.iter().map(|engagement| engagement_item(engagement, locale)).collect_view();
    view! {
        <section class="card offering">
            <div class="offering__head">
                <h3>{offering.offering.message(locale)}</h3>
                {status_badge(offering.status, locale)}
            </div>
            {checklist(&offering.checks, locale)}
            <div class="engagements">{engagements}</div>
        </section>
    }
}

/// An engagement, open when it is not eligible (its checks say why).
fn engagement_item(engagement: &EngagementChecklist, locale: Locale) -> impl IntoView {
    let (word, class) = if engagement.eligible {
        (tr_in!(locale, eligible), "status status--paid")
    } else {
        (tr_in!(locale, not_eligible), "status status--expired")
    };
    view! {
        <details class="engagement" open=!engagement.eligible>
            <summary>
                <span class="engagement__name">{engagement.engagement.message(locale)}</span>
                <span class=class>{word}</span>
            </summary>
            {checklist(&engagement.checks, locale)}
        </details>
    }
}

/// A form's submit handler: the browser's own submission is prevented. One handler type for
/// every form, so the listener is compiled once.
fn on_submit(handler: Box<dyn Fn()>) -> impl FnMut(web_sys::SubmitEvent) + 'static {
    move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        handler();
    }
}

#[component]
fn Editors(program: RwSignal<Option<PartnerProgram>>, edit: Action<Edit, ()>) -> impl IntoView {
    let today = use_program_date();
    let no_error = Signal::stored(None::<String>);

    // Company-level actions.

    let training = move |_| {
        send(
            edit,
            |data| data.compliance_training_completed = true,
            Method::Post,
            partner_api::PARTNER_COMPLIANCE_TRAINING.to_owned(),
            None,
        )
    };
    let renew = move |_| {
        let next = today.get_untracked().map(planning_domain::profile::next_renewal_due_on);
        send(edit, move |data| data.renewal_due_on = next, Method::Post, partner_api::PARTNER_RENEWAL.to_owned(), None)
    };

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
    let add_location = move || {
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
        send(
            edit,
            move |data| data.locations.push(record.clone()),
            Method::Post,
            partner_api::PARTNER_LOCATIONS.to_owned(),
            Some(to_body(&body)),
        );
    };

    let locations = move || {
        program.with(|data| {
            data.iter()
                .flat_map(|data| data.locations.iter())
                .map(|place| {
                    let id = place.location_id.clone();
                    let label = format!("{} · {} ({})", place.location_id.as_str(), place.city, place.country.as_str());
                    let remove = move |_| {
                        let removed = id.clone();
                        send(
                            edit,
                            move |data| data.locations.retain(|place| place.location_id != removed),
                            Method::Delete,
                            partner_api::partner_location_path(&id),
                            None,
                        )
                    };
                    view! {
                        <li>
                            {label} " "
                            <button type="button" class="button button--small" on:click=remove>
                                {tr!(remove)}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="group">
            <section class="card form" aria-labelledby="company-actions-title">
                <h2 id="company-actions-title">{tr!(company_actions_title)}</h2>
                <div class="actions-row">
                    <button type="button" class="button" on:click=training>
                        {tr!(mark_training_done)}
                    </button>
                    <button type="button" class="button" on:click=renew>
                        {tr!(renew_membership)}
                    </button>
                </div>
            </section>
            <form class="card form" aria-labelledby="location-title" novalidate on:submit=on_submit(Box::new(add_location))>
                <h2 id="location-title">{tr!(locations_title)}</h2>
                <ul class="plain-list">{locations}</ul>
                <InputField id="location-id" label=tr!(location_id_label) value=location_id error=location_id_error />
                <SelectField
                    id="location-country"
                    label=tr!(country_label)
                    value=location_country
                    choose=tr!(choose_one)
                    options=country_options()
                    error=country_error
                />
                <InputField id="location-city" label=tr!(city_label) value=city error=no_error />
                <button type="submit" class="button">
                    {tr!(add_location)}
                </button>
            </form>
        </div>
    }
}

/// The company's competencies and its consultants' passed exams, read-only: the program records
/// them (`partner_records_page.rs` is the operator's side).
#[component]
fn ManagedRecords(program: RwSignal<Option<PartnerProgram>>) -> impl IntoView {
    let locale = use_domain_locale();
    let lines = move || {
        let locale = locale.get();
        program.with(|data| {
            let data = data.as_ref()?;
            let competencies =
                data.competencies.iter().map(|held| view! { <li>{competency_line(held, locale)}</li> }).collect_view();
            let exams = data
                .consultants
                .iter()
                .flat_map(|person| {
                    person.passed_exams.iter().map(move |exam| {
                        let line =
                            format!("{}: {}", person.display_name, exam_line(&exam.exam, exam.counts_toward, locale));
                        view! { <li>{line}</li> }
                    })
                })
                .collect_view();
            Some(view! {
                <h3>{tr_in!(locale, records_competencies_title)}</h3>
                <ul class="plain-list">{competencies}</ul>
                <h3>{tr_in!(locale, records_exams_title)}</h3>
                <ul class="plain-list">{exams}</ul>
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="managed-records-title">
            <h2 id="managed-records-title">{tr!(records_managed_title)}</h2>
            <p class="co-muted">{tr!(records_managed_note)}</p>
            {lines}
        </section>
    }
}
