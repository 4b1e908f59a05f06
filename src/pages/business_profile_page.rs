//! `/partner/profile`: the business profile customers find in the partner directory, with every
//! field checked by the shared crate as it is typed, and a preview of the directory card.

use leptos::prelude::*;
use planning_domain::api::embed::EmbedTarget;
use planning_domain::api::partners::BusinessProfileUpdate;
use planning_domain::profile::{
    check_profile_country, parse_tags, CustomerSize, LinkedInPage, ProfileDescription, TagKind, WebAddress,
};
use planning_domain::{CountryCode, Localize, Role};

use crate::api::{self, ApiError};
use crate::components::embed_panel::embed_panel;
use crate::components::form_field::Field;
use crate::components::notice::{error_notice, success_notice};
use crate::components::require_sign_in::require_sign_in;
use crate::dom::{div, el, group, text_el, tr_el, El};
use crate::loader::load;
use crate::state::locale::{text_opt, use_domain_locale};

const SIZES: [(&str, CustomerSize); 4] = [
    ("small", CustomerSize::Small),
    ("medium", CustomerSize::Medium),
    ("large", CustomerSize::Large),
    ("enterprise", CustomerSize::Enterprise),
];

pub fn business_profile_page() -> El {
    require_sign_in(&[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin], business_profile)
}

/// Comma-separated tags as typed.
fn tags(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|tag| !tag.is_empty()).map(str::to_owned).collect()
}

fn business_profile() -> El {
    let locale = use_domain_locale();
    let program = load(api::get_partner_program);
    let stored = load(api::get_business_profile);
    let country = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let linkedin = RwSignal::new(String::new());
    let industries = RwSignal::new(String::new());
    let products = RwSignal::new(String::new());
    let services = RwSignal::new(String::new());
    let size = RwSignal::new("small".to_owned());
    let endorse = RwSignal::new(false);
    let published = RwSignal::new(true);
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let saved_text = tr!(profile_saved);

    // The saved profile fills the form once.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        let Some(Some(profile)) = stored.data.get() else { return false };
        country.set(profile.country.as_str().to_owned());
        description.set(profile.description);
        website.set(profile.website);
        linkedin.set(profile.linkedin_page.unwrap_or_default());
        industries.set(profile.industries.join(", "));
        products.set(profile.products.join(", "));
        services.set(profile.service_types.join(", "));
        size.set(
            SIZES
                .iter()
                .find(|(_, value)| *value == profile.target_customer_size)
                .map(|(key, _)| *key)
                .unwrap_or("small")
                .to_owned(),
        );
        endorse.set(profile.allow_endorsement);
        published.set(profile.published);
        true
    });

    let server =
        move |field: &'static str, locale| failure.with(|failure| failure.as_ref()?.field_message(field, locale));
    let country_error = text_opt(move |locale| {
        let typed = country.get();
        if typed.is_empty() {
            return server("country", locale);
        }
        let checked = CountryCode::parse(&typed).map_err(|error| error.message(locale)).and_then(|code| {
            program.data.with(|data| match data {
                Some(data) => check_profile_country(&data.eligibility_profile(), code)
                    .map(|_| ())
                    .map_err(|error| error.message(locale)),
                None => Ok(()),
            })
        });
        checked.err().or_else(|| server("country", locale))
    });
    let description_error = text_opt(move |locale| {
        ProfileDescription::parse(&description.get())
            .err()
            .map(|error| error.message(locale))
            .or_else(|| server("description", locale))
    });
    let website_error = text_opt(move |locale| {
        WebAddress::parse(&website.get()).err().map(|error| error.message(locale)).or_else(|| server("website", locale))
    });
    let linkedin_error = text_opt(move |locale| {
        let typed = linkedin.get();
        let typed = Some(typed.trim()).filter(|typed| !typed.is_empty());
        LinkedInPage::parse_optional(typed)
            .err()
            .map(|error| error.message(locale))
            .or_else(|| server("linkedin_page", locale))
    });
    let tag_error = move |value: RwSignal<String>, kind: TagKind, field: &'static str| {
        text_opt(move |locale| {
            parse_tags(kind, &tags(&value.get()))
                .err()
                .map(|error| error.message(locale))
                .or_else(|| server(field, locale))
        })
    };
    let errors = [
        country_error,
        description_error,
        website_error,
        linkedin_error,
        tag_error(industries, TagKind::Industry, "industries"),
        tag_error(products, TagKind::Product, "products"),
        tag_error(services, TagKind::ServiceType, "service_types"),
    ];

    let save = move || {
        failure.set(None);
        saved.set(None);
        if pending.get_untracked() || errors.iter().any(|error| error.get_untracked().is_some()) {
            return;
        }
        let body = BusinessProfileUpdate {
            country: country.get_untracked(),
            description: description.get_untracked(),
            website: website.get_untracked(),
            linkedin_page: Some(linkedin.get_untracked()).filter(|page| !page.trim().is_empty()),
            industries: tags(&industries.get_untracked()),
            products: tags(&products.get_untracked()),
            service_types: tags(&services.get_untracked()),
            target_customer_size: SIZES
                .iter()
                .find(|(key, _)| *key == size.get_untracked())
                .map(|(_, value)| *value)
                .unwrap_or(CustomerSize::Small),
            allow_endorsement: endorse.get_untracked(),
            published: published.get_untracked(),
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::save_business_profile(&body).await {
                Ok(_) => saved.set(Some(saved_text.get_untracked().to_owned())),
                Err(error) => failure.set(Some(error)),
            }
            pending.set(false);
        });
    };

    let country_options = Signal::derive(move || {
        program.data.with(|data| {
            let mut countries: Vec<String> = data
                .iter()
                .flat_map(|data| data.locations.iter())
                .map(|place| place.country.as_str().to_owned())
                .collect();
            countries.sort();
            countries.dedup();
            countries.into_iter().map(|code| (code.clone(), code)).collect()
        })
    });
    let size_options = Signal::derive(move || {
        let locale = locale.get();
        SIZES.iter().map(|(key, value)| ((*key).to_owned(), value.message(locale))).collect()
    });

    let preview = move || {
        let locale = locale.get();
        let name = program.data.with(|data| data.as_ref().map(|data| data.name.clone())).unwrap_or_default();
        let chips: Vec<El> = [industries, products, services]
            .iter()
            .flat_map(|value| tags(&value.get()))
            .map(|tag| text_el("li", &tag).class("chip"))
            .collect();
        Some(
            el("article")
                .class("card directory-card")
                .attr("aria-label", tr_in!(locale, preview_title))
                .child(text_el("h3", &name))
                .child(text_el("p", &country.get()).class("muted"))
                .child(text_el("p", &description.get()))
                .child(
                    el("p").child(
                        el("a")
                            .attr("href", &website.get())
                            .attr("data-external", "")
                            .attr("rel", "noopener")
                            .text(&website.get()),
                    ),
                )
                .child(el("ul").class("chips").children(chips)),
        )
    };

    group(vec![
        tr_el("h1", tr!(profile_title)),
        tr_el("p", tr!(profile_intro)).class("lead"),
        error_notice(failure.into()),
        success_notice(saved.into()),
        div("two-columns")
            .child(
                el("form")
                    .class("card form")
                    .on_submit(save)
                    .child(Field::new("profile-country", tr!(country_label)).select(
                        country,
                        tr!(choose_one),
                        country_options,
                        errors[0],
                    ))
                    .child(
                        Field::new("profile-description", tr!(description_label))
                            .hint(tr!(description_hint))
                            .textarea(description, errors[1]),
                    )
                    .child(Field::new("profile-website", tr!(website_label)).kind("url").input(website, errors[2]))
                    .child(Field::new("profile-linkedin", tr!(linkedin_label)).kind("url").input(linkedin, errors[3]))
                    .child(
                        Field::new("profile-industries", tr!(industries_label))
                            .hint(tr!(tags_hint))
                            .input(industries, errors[4]),
                    )
                    .child(
                        Field::new("profile-products", tr!(products_label))
                            .hint(tr!(tags_hint))
                            .input(products, errors[5]),
                    )
                    .child(
                        Field::new("profile-services", tr!(services_label))
                            .hint(tr!(tags_hint))
                            .input(services, errors[6]),
                    )
                    .child(Field::new("profile-size", tr!(customer_size_label)).select(
                        size,
                        tr!(choose_one),
                        size_options,
                        Signal::stored(None),
                    ))
                    .child(
                        el("label")
                            .class("checkbox")
                            .child(el("input").attr("type", "checkbox").checked(endorse))
                            .child(el("span").tr(tr!(allow_endorsement))),
                    )
                    .child(
                        el("label")
                            .class("checkbox")
                            .child(el("input").attr("type", "checkbox").checked(published))
                            .child(el("span").tr(tr!(publish_profile))),
                    )
                    .child(
                        el("button")
                            .attr("type", "submit")
                            .class("button button--primary")
                            .flag_signal("disabled", pending.into())
                            .tr(tr!(save_profile)),
                    ),
            )
            .child(
                el("section")
                    .attr("aria-labelledby", "preview-card-title")
                    .child(tr_el("h2", tr!(preview_title)).id("preview-card-title"))
                    .dynamic(preview),
            ),
        div("group").dynamic(move || {
            let partner_id = program.data.with(|data| data.as_ref().map(|data| data.partner_id))?;
            Some(untrack(|| embed_panel(EmbedTarget::Partner(partner_id))))
        }),
    ])
}
