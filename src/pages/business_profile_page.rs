//! `/partner/profile`: the business profile customers find in the partner directory, with every
//! field checked by the shared crate as it is typed, and a preview of the directory card.

use leptos::prelude::*;
use planning_domain::api::embed::EmbedTarget;
use planning_domain::api::partners::{BusinessProfileUpdate, PartnerProgram};
use planning_domain::profile::{
    check_profile_country, parse_tags, CustomerSize, LinkedInPage, ProfileDescription, TagKind, WebAddress,
};
use planning_domain::{CountryCode, Localize, Role};

use crate::api::{self, ApiError};
use crate::components::embed_panel::EmbedPanel;
use crate::components::form_field::{InputField, SelectField, TextAreaField};
use crate::components::notice::{ErrorNotice, SuccessNotice};
use crate::components::require_sign_in::RequireSignIn;
use crate::state::locale::{text_opt, use_domain_locale};
use crate::state::resource::submit;

const SIZES: [(&str, CustomerSize); 4] = [
    ("small", CustomerSize::Small),
    ("medium", CustomerSize::Medium),
    ("large", CustomerSize::Large),
    ("enterprise", CustomerSize::Enterprise),
];

const ROLES: &[Role] = &[Role::PartnerGlobalAdmin, Role::MpnPartnerAdmin];

#[component]
pub fn BusinessProfilePage() -> impl IntoView {
    view! {
        <RequireSignIn roles=ROLES>
            <BusinessProfile />
        </RequireSignIn>
    }
}

/// Comma-separated tags as typed.
fn tags(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|tag| !tag.is_empty()).map(str::to_owned).collect()
}

/// The partner's program, once it has loaded (a failure to load counts as none).
fn loaded(answer: &Option<Result<PartnerProgram, ApiError>>) -> Option<&PartnerProgram> {
    answer.as_ref()?.as_ref().ok()
}

#[component]
fn BusinessProfile() -> impl IntoView {
    let locale = use_domain_locale();
    let program = LocalResource::new(api::get_partner_program);
    let stored = LocalResource::new(api::get_business_profile);
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
    let saved_text = tr!(profile_saved);
    let no_error = Signal::stored(None::<String>);

    // The saved profile fills the form once.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        let Some(Ok(Some(profile))) = stored.get() else { return false };
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
            program.with(|answer| match loaded(answer) {
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

    let pending = RwSignal::new(false);
    let send = move |body: BusinessProfileUpdate| {
        let done = saved_text.get_untracked();
        submit(
            pending,
            Box::pin(async move {
                match api::save_business_profile(&body).await {
                    Ok(_) => saved.set(Some(done.to_owned())),
                    Err(error) => failure.set(Some(error)),
                }
            }),
        );
    };
    let save = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        saved.set(None);
        if pending.get_untracked() || errors.iter().any(|error| error.get_untracked().is_some()) {
            return;
        }
        send(BusinessProfileUpdate {
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
        });
    };

    let country_options = Signal::derive(move || {
        program.with(|answer| {
            let mut countries: Vec<String> = loaded(answer)
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

    // The directory card as it would look with what is typed now.
    let name = move || program.with(|answer| loaded(answer).map(|data| data.name.clone())).unwrap_or_default();
    let chips = move || {
        [industries, products, services]
            .iter()
            .flat_map(|value| tags(&value.get()))
            .map(|tag| view! { <li class="chip">{tag}</li> })
            .collect_view()
    };
    let embed = move || {
        let partner_id = program.with(|answer| loaded(answer).map(|data| data.partner_id))?;
        Some(untrack(|| view! { <EmbedPanel target=EmbedTarget::Partner(partner_id) /> }))
    };

    view! {
        <div class="group">
            <h1>{tr!(profile_title)}</h1>
            <p class="lead">{tr!(profile_intro)}</p>
            <ErrorNotice error=failure />
            <SuccessNotice message=saved />
            <div class="two-columns">
                <form class="card form" novalidate on:submit=save>
                    <SelectField
                        id="profile-country"
                        label=tr!(country_label)
                        value=country
                        choose=tr!(choose_one)
                        options=country_options
                        error=errors[0]
                    />
                    <TextAreaField
                        id="profile-description"
                        label=tr!(description_label)
                        hint=tr!(description_hint)
                        value=description
                        error=errors[1]
                    />
                    <InputField id="profile-website" label=tr!(website_label) kind="url" value=website error=errors[2] />
                    <InputField
                        id="profile-linkedin"
                        label=tr!(linkedin_label)
                        kind="url"
                        value=linkedin
                        error=errors[3]
                    />
                    <InputField
                        id="profile-industries"
                        label=tr!(industries_label)
                        hint=tr!(tags_hint)
                        value=industries
                        error=errors[4]
                    />
                    <InputField
                        id="profile-products"
                        label=tr!(products_label)
                        hint=tr!(tags_hint)
                        value=products
                        error=errors[5]
                    />
                    <InputField
                        id="profile-services"
                        label=tr!(services_label)
                        hint=tr!(tags_hint)
                        value=services
                        error=errors[6]
                    />
                    <SelectField
                        id="profile-size"
                        label=tr!(customer_size_label)
                        value=size
                        choose=tr!(choose_one)
                        options=size_options
                        error=no_error
                    />
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=endorse />
                        <span>{tr!(allow_endorsement)}</span>
                    </label>
                    <label class="checkbox">
                        <input type="checkbox" bind:checked=published />
                        <span>{tr!(publish_profile)}</span>
                    </label>
                    <button type="submit" class="button button--primary" disabled=pending>
                        {tr!(save_profile)}
                    </button>
                </form>
                <section aria-labelledby="preview-card-title">
                    <h2 id="preview-card-title">{tr!(preview_title)}</h2>
                    <article class="card directory-card" aria-label=tr!(preview_title)>
                        <h3>{name}</h3>
                        <p class="muted">{country}</p>
                        <p>{description}</p>
                        <p>
                            <a href=website data-external="" rel="noopener">
                                {website}
                            </a>
                        </p>
                        <ul class="chips">{chips}</ul>
                    </article>
                </section>
            </div>
            // Directly in the page's group, so the panel is spaced like its neighbours.
            {embed}
        </div>
    }
}
