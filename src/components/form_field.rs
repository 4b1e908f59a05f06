//! Labelled inputs with their error beneath, the one way every form in the app takes values.
//!
//! The error (from the shared crate as the reader types, or the server's words for the field)
//! is tied to the input with `aria-describedby` and `aria-invalid`, so a screen reader reads it.

use leptos::prelude::*;

use wasm_bindgen::JsCast;

use crate::dom::{el, El};

/// What a field is: its id (also the name), label, type and optional hint.
pub struct Field {
    pub id: &'static str,
    pub label: Signal<&'static str>,
    pub kind: &'static str,
    pub hint: Option<Signal<&'static str>>,
    pub autocomplete: &'static str,
}

impl Field {
    pub fn new(id: &'static str, label: Signal<&'static str>) -> Field {
        Field { id, label, kind: "text", hint: None, autocomplete: "off" }
    }

    pub fn kind(mut self, kind: &'static str) -> Field {
        self.kind = kind;
        self
    }

    pub fn hint(mut self, hint: Signal<&'static str>) -> Field {
        self.hint = Some(hint);
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Field {
        self.autocomplete = autocomplete;
        self
    }

    /// An `<input>` bound to `value`.
    pub fn input(self, value: RwSignal<String>, error: Signal<Option<String>>) -> El {
        let control = el("input").attr("type", self.kind).attr("autocomplete", self.autocomplete).value(value);
        self.wrap(control, error)
    }

    /// A `<select>` bound to `value`, with a first empty option (`choose`) and the (value, label)
    /// pairs of `options`, rendered again when they change (another language, loaded data).
    pub fn select(
        self,
        value: RwSignal<String>,
        choose: Signal<&'static str>,
        options: Signal<Vec<(String, String)>>,
        error: Signal<Option<String>>,
    ) -> El {
        let control = el("select");
        let select = control.element().clone();
        Effect::new(move |_| {
            let items = options.get();
            select.set_text_content(None);
            let mut all = vec![(String::new(), choose.get().to_owned())];
            all.extend(items);
            for (option_value, label) in all {
                let _ = select.append_child(el("option").attr("value", &option_value).text(&label).element());
            }
            if let Some(select) = select.dyn_ref::<web_sys::HtmlSelectElement>() {
                select.set_value(&value.get_untracked());
            }
        });
        self.wrap(control.value(value), error)
    }

    /// A `<textarea>` bound to `value`.
    pub fn textarea(self, value: RwSignal<String>, error: Signal<Option<String>>) -> El {
        let control = el("textarea").attr("rows", "4").value(value);
        self.wrap(control, error)
    }

    fn wrap(self, control: El, error: Signal<Option<String>>) -> El {
        let error_id = format!("{}-error", self.id);
        let hint_id = format!("{}-hint", self.id);
        let described_by = match self.hint {
            Some(_) => format!("{hint_id} {error_id}"),
            None => error_id.clone(),
        };
        let invalid = Signal::derive(move || error.with(Option::is_some));
        el("div")
            .class("field")
            .child(el("label").attr("for", self.id).tr(self.label))
            .maybe(self.hint.map(|hint| el("p").class("field__hint").id(&hint_id).tr(hint)))
            .child(
                control
                    .id(self.id)
                    .attr("name", self.id)
                    .attr("aria-describedby", &described_by)
                    .attr_signal("aria-invalid", Signal::derive(move || invalid.get().then(|| "true".to_owned()))),
            )
            .child(
                el("p")
                    .class("field__error")
                    .id(&error_id)
                    .visible(invalid)
                    .text_signal(Signal::derive(move || error.get().unwrap_or_default())),
            )
    }
}

/// The label, hint and error around a form control, wired for assistive technology: the
/// `view!` form of [`Field`]. `control` is the input, select or textarea, already given its
/// `id`, `name`, `aria-describedby` and `aria-invalid` by [`control_attributes`].
fn field_frame(
    id: &'static str,
    label: Signal<&'static str>,
    hint: Option<Signal<&'static str>>,
    error: Signal<Option<String>>,
    control: AnyView,
) -> AnyView {
    let hint = hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{hint}</p> });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint}
            {control}
            <p class="field__error" id=format!("{id}-error") hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
    .into_any()
}

/// What `aria-describedby` names: the hint (if any) and the error.
fn described_by(id: &str, hint: bool) -> String {
    if hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// A labelled `<input>` bound to `value`, its error beneath (the `view!` form of [`Field::input`]).
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
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            prop:value=value
            on:input=move |event| value.set(event_target_value(&event))
        />
    }
    .into_any();
    field_frame(id, label, hint, error, control)
}

/// A labelled `<textarea>` bound to `value` (the `view!` form of [`Field::textarea`]).
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
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            prop:value=value
            on:input=move |event| value.set(event_target_value(&event))
        ></textarea>
    }
    .into_any();
    field_frame(id, label, hint, error, control)
}

/// A labelled `<select>` bound to `value`: a first empty option (`choose`), then the
/// (value, label) pairs of `options`, which may change (another language, loaded data). The
/// `view!` form of [`Field::select`].
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
            aria-invalid=move || error.with(Option::is_some).then_some("true")
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

/// The countries of the program's (demo) rate table, as `<select>` options.
pub fn country_options() -> Signal<Vec<(String, String)>> {
    Signal::stored(
        planning_domain::catalog::DEMO_DAILY_RATES
            .iter()
            .map(|rate| (rate.country.to_owned(), rate.country.to_owned()))
            .collect(),
    )
}
