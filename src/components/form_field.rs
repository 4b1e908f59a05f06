//! Labelled inputs with their error beneath, the one way every form in the app takes values.
//!
//! The error (from the shared crate as the reader types, or the server's words for the field)
//! is tied to the input with `aria-describedby` and `aria-invalid`, so a screen reader reads it.

use leptos::prelude::*;

/// The label, hint and error around a form control, wired for assistive technology: `control`
/// is the input, select or textarea, already given its `id`, `name`, `aria-describedby` (see
/// [`described_by`]) and `aria-invalid`.
fn field_frame(
    id: &'static str,
    label: Signal<&'static str>,
    hint: Option<Signal<&'static str>>,
    error: Signal<Option<String>>,
    control: AnyView,
) -> AnyView {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let hint = hint.map(|hint| view! { <p class="field__hint" id=hint_id>{hint}</p> });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint}
            {control}
            <p class="field__error" id=error_id hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
    .into_any()
}

/// `aria-invalid`: "true" while the field has an error, absent otherwise.
fn invalid(error: Signal<Option<String>>) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync {
    move || error.with(Option::is_some).then_some("true")
}

/// What `aria-describedby` names: the hint (if any) and the error.
fn described_by(id: &str, hint: bool) -> String {
    if hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// A labelled `<input>` bound to `value`, its error beneath.
#[component]
pub fn InputField(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let control = view! {
        <input
            type=kind
            autocomplete=autocomplete
            id=id
            name=id
            aria-describedby=described_by(id, hint.is_some())
            aria-invalid=invalid(error)
            prop:value=value
            on:input=move |event| value.set(event_target_value(&event))
        />
    }
    .into_any();
    field_frame(id, label, hint, error, control)
}

/// A labelled `<textarea>` bound to `value`, its error beneath.
#[component]
pub fn TextAreaField(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let control = view! {
        <textarea
            rows="4"
            id=id
            name=id
            aria-describedby=described_by(id, hint.is_some())
            aria-invalid=invalid(error)
            prop:value=value
            on:input=move |event| value.set(event_target_value(&event))
        ></textarea>
    }
    .into_any();
    field_frame(id, label, hint, error, control)
}

/// A labelled `<select>` bound to `value`: a first empty option (`choose`), then the
/// (value, label) pairs of `options`, which may change (another language, loaded data).
#[component]
pub fn SelectField(
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    choose: Signal<&'static str>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<Signal<&'static str>>,
) -> impl IntoView {
    let items = move || {
        options
            .get()
            .into_iter()
            .map(|(option, text)| {
                let selected = option == value.get_untracked();
                view! { <option value=option selected=selected>{text}</option> }
            })
            .collect_view()
    };
    let control = view! {
        <select
            id=id
            name=id
            aria-describedby=described_by(id, hint.is_some())
            aria-invalid=invalid(error)
            prop:value=value
            on:change=move |event| value.set(event_target_value(&event))
        >
            <option value="" selected=move || value.with(String::is_empty)>{choose}</option>
            {items}
        </select>
    }
    .into_any();
    field_frame(id, label, hint, error, control)
}

/// The countries the program pays for (its configured rate table), as `<select>` options: the
/// only countries an engagement may be delivered in.
pub fn country_options() -> Signal<Vec<(String, String)>> {
    let rates = crate::state::program::use_daily_rates();
    Signal::derive(move || {
        rates.with(|rates| {
            rates.iter().map(|rate| (rate.country.as_str().to_owned(), rate.country.as_str().to_owned())).collect()
        })
    })
}

/// A field's error: once its form was submitted, `rule` (the shared crate's check) on what was
/// typed, else the server's words for `field` from the last failure. One function for every
/// field of the account forms: a closure per field would compile a derived signal each.
pub fn checked_field(
    value: RwSignal<String>,
    submitted: RwSignal<bool>,
    failure: RwSignal<Option<crate::api::ApiError>>,
    field: &'static str,
    rule: fn(&str, planning_domain::Locale) -> Option<String>,
) -> Signal<Option<String>> {
    crate::state::locale::text_opt(move |locale| {
        if !submitted.get() {
            return None;
        }
        value
            .with(|value| rule(value, locale))
            .or_else(|| failure.with(|failure| failure.as_ref()?.field_message(field, locale)))
    })
}

/// The last failure unless it names one of `fields` (whose inputs show it): for the form's notice.
pub fn form_failure(
    failure: RwSignal<Option<crate::api::ApiError>>,
    fields: &'static [&'static str],
) -> Signal<Option<crate::api::ApiError>> {
    Signal::derive(move || {
        failure.get().filter(|failure| {
            fields.iter().all(|field| failure.field_message(field, planning_domain::Locale::En).is_none())
        })
    })
}
