//! `/directory` and `/directory/{id}`: the partner directory customers search by country,
//! offering, competency and words, and a partner's public profile.
//!
//! The filters live in the address (`?country=KR&offering=DDPS…`), so a search can be shared and
//! the back button returns to it.

use leptos::prelude::*;
use planning_domain::api::partners::{competency_key, DirectoryPage, PublicPartnerProfile};
use planning_domain::catalog::COMPETENCIES;
use planning_domain::{CountryCode, Locale, Localize, OfferingCode};

use crate::api;
use crate::components::data_table::{facts, span, span_signal};
use crate::components::form_field::Field;
use crate::components::notice::error_notice;
use crate::dom::{div, el, link, text_el, tr_el, El};
use crate::loader::load;
use crate::state::locale::{text_opt, text_with, use_domain_locale};
use crate::state::route::use_route;

const FILTERS: [&str; 4] = ["country", "offering", "competency", "q"];

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

pub fn directory_page() -> El {
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
    let results = div("group").dynamic(move || {
        let (filters, page) = query.get();
        let address = search_address(&filters, page);
        let query_text = address.split_once('?').map(|(_, query)| query.to_owned()).unwrap_or_default();
        let found = load(move || api::search_directory(query_text.clone()));
        Some(div("group").child(error_notice(found.error.into())).dynamic(move || {
            let page = found.data.get()?;
            Some(directory_results(page, &filters))
        }))
    });
    let submit = move || {
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
    el("div")
        .class("co-page")
        .child(tr_el("h1", tr!(directory_title)))
        .child(tr_el("p", tr!(directory_intro)).class("lead"))
        .child(
            el("form")
                .class("card co-filters")
                .attr("role", "search")
                .attr_tr("aria-label", tr!(directory_search_label))
                .on_submit(submit)
                .child(
                    Field::new("directory-country", tr!(directory_country_label))
                        .hint(tr!(directory_country_hint))
                        .input(country, country_error),
                )
                .child(Field::new("directory-offering", tr!(directory_offering_label)).select(
                    offering,
                    tr!(directory_any_offering),
                    offering_choices,
                    Signal::derive(|| None),
                ))
                .child(Field::new("directory-competency", tr!(directory_competency_label)).select(
                    competency,
                    tr!(directory_any_competency),
                    competency_choices,
                    Signal::derive(|| None),
                ))
                .child(Field::new("directory-words", tr!(directory_words_label)).input(words, Signal::derive(|| None)))
                .child(
                    div("co-filters__actions").child(
                        el("button")
                            .attr("type", "submit")
                            .class("button button--primary")
                            .tr(tr!(directory_search_button)),
                    ),
                ),
        )
        .child(
            el("section")
                .attr("aria-labelledby", "results-title")
                .child(tr_el("h2", tr!(directory_results_title)).id("results-title").class("visually-hidden"))
                .child(results),
        )
}

fn directory_results(page: DirectoryPage, filters: &[(&'static str, String); 4]) -> El {
    let DirectoryPage { partners, page, page_size, total } = page;
    if partners.is_empty() {
        return tr_el("p", tr!(directory_no_results)).class("co-count");
    }
    let first = (page - 1) * page_size + 1;
    let last = first + partners.len() as u32 - 1;
    let count = text_with(move |locale| {
        tr_in!(locale, directory_count, &first.to_string(), &last.to_string(), &total.to_string())
    });
    let locale = use_domain_locale();
    let cards = partners
        .into_iter()
        .map(|partner| {
            let cities: Vec<String> = partner
                .locations
                .iter()
                .map(|location| format!("{} ({})", location.city, location.country.as_str()))
                .collect();
            el("li")
                .class("card co-partner")
                .child(
                    el("h3")
                        .child(el("a").attr("href", &format!("/directory/{}", partner.partner_id)).text(&partner.name)),
                )
                .child(text_el("p", &format!("{} · {}", partner.country.as_str(), cities.join(", "))).class("co-muted"))
                .child(text_el("p", &partner.description).class("co-clamp"))
                .child(tags(&partner, locale.get_untracked()))
        })
        .collect();
    let mut pager = el("nav").class("co-pager").attr_tr("aria-label", tr!(directory_pages_label));
    if page > 1 {
        pager = pager
            .child(link(&search_address(filters, page - 1), tr!(directory_previous)).class("button button--quiet"));
    }
    if u64::from(last) < total {
        pager =
            pager.child(link(&search_address(filters, page + 1), tr!(directory_next)).class("button button--quiet"));
    }
    div("group")
        .child(el("p").class("co-count").text_signal(count))
        .child(el("ul").class("co-list").children(cards))
        .child(pager)
}

/// The offering and earned competency tags of a profile.
fn tags(partner: &PublicPartnerProfile, locale: Locale) -> El {
    let offerings = partner.offerings.iter().map(|code| text_el("li", code.details().label).class("co-tag"));
    let competencies = partner.competencies.iter().map(|earned| {
        text_el("li", &format!("{} · {}", earned.competency.message(locale), earned.level.message(locale)))
            .class("co-tag co-tag--earned")
    });
    el("ul").class("co-tags").children(offerings.chain(competencies).collect())
}

pub fn partner_profile_page(partner_id: String) -> El {
    let id = partner_id.parse::<i64>().unwrap_or(0);
    let profile = load(move || api::partner_profile(id));
    let locale = use_domain_locale();
    el("div")
        .class("co-page")
        .child(el("p").child(link("/directory", tr!(directory_back))))
        // The page keeps a heading when the profile cannot be shown.
        .child(
            tr_el("h1", tr!(partner_profile_title))
                .visible(Signal::derive(move || profile.error.with(Option::is_some))),
        )
        .child(error_notice(profile.error.into()))
        .dynamic(move || {
            let partner = profile.data.get()?;
            Some(partner_profile(partner, locale.get()))
        })
}

fn partner_profile(partner: PublicPartnerProfile, locale: Locale) -> El {
    let size = partner.target_customer_size;
    let list = |items: &[String]| el("ul").children(items.iter().map(|item| text_el("li", item)).collect());
    let mut pairs = vec![
        (tr!(directory_country_label), span(partner.country.as_str())),
        (
            tr!(directory_website),
            el("a")
                .attr("href", &partner.website)
                .attr("data-external", "")
                .attr("rel", "noopener noreferrer")
                .text(&partner.website),
        ),
    ];
    if let Some(page) = &partner.linkedin_page {
        pairs.push((
            tr!(directory_linkedin),
            el("a").attr("href", page).attr("data-external", "").attr("rel", "noopener noreferrer").text(page),
        ));
    }
    pairs.push((tr!(directory_customer_size), span_signal(text_with(move |locale| size.message(locale)))));
    let locations = partner
        .locations
        .iter()
        .map(|location| text_el("li", &format!("{} ({})", location.city, location.country.as_str())))
        .collect();
    div("group").child(text_el("h1", &partner.name)).child(text_el("p", &partner.description).class("lead")).child(
        div("co-grid")
            .child(
                el("section")
                    .class("card")
                    .attr("aria-labelledby", "profile-tags")
                    .child(tr_el("h2", tr!(directory_tags_title)).id("profile-tags"))
                    .child(tags(&partner, locale))
                    .child(facts(pairs)),
            )
            .child(
                el("section")
                    .class("card")
                    .attr("aria-labelledby", "profile-expertise")
                    .child(tr_el("h2", tr!(directory_expertise_title)).id("profile-expertise"))
                    .child(tr_el("h3", tr!(directory_industries)))
                    .child(list(&partner.industries))
                    .child(tr_el("h3", tr!(directory_products)))
                    .child(list(&partner.products))
                    .child(tr_el("h3", tr!(directory_service_types)))
                    .child(list(&partner.service_types)),
            )
            .child(
                el("section")
                    .class("card")
                    .attr("aria-labelledby", "profile-locations")
                    .child(tr_el("h2", tr!(directory_locations_title)).id("profile-locations"))
                    .child(el("ul").children(locations)),
            ),
    )
}
