//! A labelled input with its error beneath it, the one way every form in the app takes text.
//!
//! The error (from the shared crate as the reader types, or the server's words for the field)
//! is tied to the input with `aria-describedby` and `aria-invalid`, so a screen reader reads it.

use leptos::prelude::*;

#[component]
pub fn FormField(
    /// The element id; the error's id is derived from it.
    id: &'static str,
    label: Signal<&'static str>,
    value: RwSignal<String>,
    /// The message to show, if the value is refused.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// The input type (`text`, `email`, `password`, `date`, `number`, …).
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// A hint under the label (format, limits).
    #[prop(optional, into)]
    hint: Option<Signal<&'static str>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint.is_some().then(|| hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if let Some(hint_id) = &hint_id {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{hint}</p> })}
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
            />
            <p class="field__error" id=error_id role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
    .into_any()
}
