//! `/directory` and `/directory/{id}`: the partner directory customers search by country,
//! offering, competency and words, and a partner's public profile.
//!
//! The filters live in the address (`?country=KR&offering=DDPS…`), so a search can be shared and
//! the back button returns to it.

use leptos::prelude::*;
use planning_domain::api::partners::{competency_key, DirectoryPage as Results, PublicPartnerProfile};
use planning_domain::catalog::COMPETENCIES;
use planning_domain::{CountryCode, Localize, OfferingCode};

use crate::api;
use crate::components::data_table::Facts;
use crate::components::form_field::{InputField, SelectField};
use crate::components::notice::ErrorNotice;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::route::use_route;

const FILTERS: [&str; 4] = ["country", "offering", "competency", "q"];

/// The filters of a search, by name.
type Filters = [(&'static str, String); 4];

/// The address of the directory with these filters (blank ones left out) and page.
fn search_address(values: &[(&str, String)], page: u32) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new() else { return "/directory".to_owned() };
    for (name, value) in values {
        if !value.trim().is_empty() {
            params.append(name, value.trim());
        }
    }
    if page > 1 {
        params.append("page", &page.to_string());
    }
    let query = String::from(params.to_string());
    if query.is_empty() {
        "/directory".to_owned()
    } else {
        format!("/directory?{query}")
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let route = use_route();
    let locale = use_domain_locale();
    let param = move |name: &str| route.query_param_untracked(name).unwrap_or_default();
    let (country, offering, competency, words) = (
        RwSignal::new(param("country")),
        RwSignal::new(param("offering")),
        RwSignal::new(param("competency")),
        RwSignal::new(param("q")),
    );
    let submitted = RwSignal::new(false);
    let country_error = text_opt(move |locale| {
        let text = country.get();
        if !submitted.get() || text.trim().is_empty() {
            return None;
        }
        CountryCode::parse(text.trim()).err().map(|error| error.message(locale))
    });
    let offering_choices = Signal::derive(move || {
        let locale = locale.get();
        OfferingCode::ACTIVE.iter().map(|code| (code.details().label.to_owned(), code.message(locale))).collect()
    });
    let competency_choices = Signal::derive(move || {
        let locale = locale.get();
        COMPETENCIES
            .iter()
            .map(|competency| (competency_key(competency.id).to_owned(), competency.id.message(locale)))
            .collect()
    });
    let query = Memo::new(move |_| {
        let current = FILTERS.map(|name| (name, route.query_param(name).unwrap_or_default()));
        let page = route.query_param("page").and_then(|page| page.parse::<u32>().ok()).unwrap_or(1).max(1);
        (current, page)
    });
    // The answer comes with the filters it answers, for its pager's links; the last answer stays
    // on screen while the next search runs.
    let found = LocalResource::new(move || {
        let (filters, page) = query.get();
        let address = search_address(&filters, page);
        let query_text = address.split_once('?').map(|(_, query)| query.to_owned()).unwrap_or_default();
        async move {
            let answer = api::search_directory(query_text).await;
            (filters, answer)
        }
    });
    let error = Signal::derive(move || found.with(|found| found.as_ref()?.1.as_ref().err().cloned()));
    let results = move || {
        found.with(|found| match found {
            Some((filters, Ok(page))) => Some(directory_results(page.clone(), filters)),
            _ => None,
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        submitted.set(true);
        if country_error.get_untracked().is_some() {
            return;
        }
        let values = [
            ("country", country.get_untracked().to_uppercase()),
            ("offering", offering.get_untracked()),
            ("competency", competency.get_untracked()),
            ("q", words.get_untracked()),
        ];
        route.navigate(&search_address(&values, 1));
    };
    let no_error = Signal::derive(|| None::<String>);
    view! {
        <div class="group">
            <div class="co-page">
                <h1>{tr!(directory_title)}</h1>
                <p class="lead">{tr!(directory_intro)}</p>
                <form
                    class="card co-filters"
                    role="search"
                    aria-label=tr!(directory_search_label)
                    novalidate
                    on:submit=submit
                >
                    <InputField
                        id="directory-country"
                        label=tr!(directory_country_label)
                        hint=tr!(directory_country_hint)
                        value=country
                        error=country_error
                    />
                    <SelectField
                        id="directory-offering"
                        label=tr!(directory_offering_label)
                        value=offering
                        choose=tr!(directory_any_offering)
                        options=offering_choices
                        error=no_error
                    />
                    <SelectField
                        id="directory-competency"
                        label=tr!(directory_competency_label)
                        value=competency
                        choose=tr!(directory_any_competency)
                        options=competency_choices
                        error=no_error
                    />
                    <InputField id="directory-words" label=tr!(directory_words_label) value=words error=no_error />
                    <div class="co-filters__actions">
                        <button type="submit" class="button button--primary">
                            {tr!(directory_search_button)}
                        </button>
                    </div>
                </form>
                <section aria-labelledby="results-title">
                    <h2 id="results-title" class="visually-hidden">
                        {tr!(directory_results_title)}
                    </h2>
                    <div class="group">
                        <ErrorNotice error />
                        <div class="dynamic">{results}</div>
                    </div>
                </section>
            </div>
        </div>
    }
}

fn directory_results(page: Results, filters: &Filters) -> AnyView {
    let Results { partners, page, page_size, total } = page;
    if partners.is_empty() {
        return view! { <p class="co-count">{tr!(directory_no_results)}</p> }.into_any();
    }
    let first = (page - 1) * page_size + 1;
    let last = first + partners.len() as u32 - 1;
    let count = text_with(move |locale| {
        tr_in!(locale, directory_count, &first.to_string(), &last.to_string(), &total.to_string())
    });
    let cards = partners
        .into_iter()
        .map(|partner| {
            let cities: Vec<String> = partner
                .locations
                .iter()
                .map(|location| format!("{} ({})", location.city, location.country.as_str()))
                .collect();
            let place = format!("{} · {}", partner.country.as_str(), cities.join(", "));
            let tags = tags(&partner);
            let profile = format!("/directory/{}", partner.partner_id);
            view! {
                <li class="card co-partner">
                    <h3>
                        <a href=profile>{partner.name}</a>
                    </h3>
                    <p class="co-muted">{place}</p>
                    <p class="co-clamp">{partner.description}</p>
                    {tags}
                </li>
            }
        })
        .collect_view();
    let previous = (page > 1).then(|| {
        view! {
            <a href=search_address(filters, page - 1) class="button button--quiet">
                {tr!(directory_previous)}
            </a>
        }
    });
    let next = (u64::from(last) < total).then(|| {
        view! {
            <a href=search_address(filters, page + 1) class="button button--quiet">
                {tr!(directory_next)}
            </a>
        }
    });
    view! {
        <div class="group">
            <p class="co-count">{count}</p>
            <ul class="co-list">{cards}</ul>
            <nav class="co-pager" aria-label=tr!(directory_pages_label)>
                {previous}
                {next}
            </nav>
        </div>
    }
    .into_any()
}

/// The offering and earned competency tags of a profile.
fn tags(partner: &PublicPartnerProfile) -> AnyView {
    let offerings =
        partner.offerings.iter().map(|code| view! { <li class="co-tag">{code.details().label}</li> }).collect_view();
    let competencies = partner
        .competencies
        .iter()
        .map(|earned| {
            let earned = *earned;
            let words = text_with(move |locale| {
                format!("{} · {}", earned.competency.message(locale), earned.level.message(locale))
            });
            view! { <li class="co-tag co-tag--earned">{words}</li> }
        })
        .collect_view();
    view! { <ul class="co-tags">{offerings}{competencies}</ul> }.into_any()
}

#[component]
pub fn PartnerProfilePage(id: String) -> impl IntoView {
    let id = id.parse::<i64>().unwrap_or(0);
    let profile = LocalResource::new(move || api::partner_profile(id));
    let error = Signal::derive(move || profile.with(|profile| profile.as_ref()?.as_ref().err().cloned()));
    let content = move || {
        profile.with(|profile| match profile {
            Some(Ok(partner)) => Some(partner_profile(partner)),
            _ => None,
        })
    };
    view! {
        <div class="group">
            <div class="co-page">
                <p>
                    <a href="/directory">{tr!(directory_back)}</a>
                </p>
                // The page keeps a heading when the profile cannot be shown.
                <h1 hidden=move || error.with(Option::is_none)>{tr!(partner_profile_title)}</h1>
                <ErrorNotice error />
                {content}
            </div>
        </div>
    }
}

/// An external link (the partner's site or page), opened without giving it this page.
fn external_link(address: &str) -> AnyView {
    view! {
        <a href=address.to_owned() data-external="" rel="noopener noreferrer">
            {address.to_owned()}
        </a>
    }
    .into_any()
}

/// Text in a `ul`, one item each.
fn list(items: &[String]) -> AnyView {
    let items = items.iter().map(|item| view! { <li>{item.clone()}</li> }).collect_view();
    view! { <ul>{items}</ul> }.into_any()
}

fn partner_profile(partner: &PublicPartnerProfile) -> AnyView {
    let size = partner.target_customer_size;
    let mut pairs = vec![
        (tr!(directory_country_label), view! { <span>{partner.country.as_str().to_owned()}</span> }.into_any()),
        (tr!(directory_website), external_link(&partner.website)),
    ];
    if let Some(page) = &partner.linkedin_page {
        pairs.push((tr!(directory_linkedin), external_link(page)));
    }
    pairs.push((
        tr!(directory_customer_size),
        view! { <span>{text_with(move |locale| size.message(locale))}</span> }.into_any(),
    ));
    let locations = partner
        .locations
        .iter()
        .map(|location| view! { <li>{format!("{} ({})", location.city, location.country.as_str())}</li> })
        .collect_view();
    view! {
        <div class="group">
            <h1>{partner.name.clone()}</h1>
            <p class="lead">{partner.description.clone()}</p>
            <div class="co-grid">
                <section class="card" aria-labelledby="profile-tags">
                    <h2 id="profile-tags">{tr!(directory_tags_title)}</h2>
                    {tags(partner)}
                    <Facts pairs />
                </section>
                <section class="card" aria-labelledby="profile-expertise">
                    <h2 id="profile-expertise">{tr!(directory_expertise_title)}</h2>
                    <h3>{tr!(directory_industries)}</h3>
                    {list(&partner.industries)}
                    <h3>{tr!(directory_products)}</h3>
                    {list(&partner.products)}
                    <h3>{tr!(directory_service_types)}</h3>
                    {list(&partner.service_types)}
                </section>
                <section class="card" aria-labelledby="profile-locations">
                    <h2 id="profile-locations">{tr!(directory_locations_title)}</h2>
                    <ul>{locations}</ul>
                </section>
            </div>
        </div>
    }
    .into_any()
}
