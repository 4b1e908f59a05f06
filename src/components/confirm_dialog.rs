//! A modal confirmation: a `<dialog role="alertdialog">` shown with `showModal()` while `open`
//! is true. The rest of the page is inert meanwhile; Tab and Shift+Tab stay among the dialog's
//! controls; Escape closes it; on closing, focus returns to the control that opened it (or to
//! the page's `main` when that control is gone, say after the page changed).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement, KeyboardEvent};

/// What can take focus inside the dialog.
const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// `children` (holding the element with id
/// `labelled_by`, the question) in a modal dialog shown while `open` is true; `on_close` runs
/// when the reader closes it with Escape.
#[component]
pub fn ConfirmDialog(
    #[prop(into)] open: Signal<bool>,
    #[prop(into)] labelled_by: String,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    show_while(open, move || dialog.get());
    let on_keydown = move |event: KeyboardEvent| {
        if let Some(element) = dialog.get_untracked() {
            keep_tab_inside(&element, &event);
        }
    };
    view! {
        <dialog
            class="confirm dialog"
            role="alertdialog"
            aria-labelledby=labelled_by
            node_ref=dialog
            on:keydown=on_keydown
            on:cancel=move |_: web_sys::Event| on_close.run(())
        >
            {children()}
        </dialog>
    }
}

/// A confirmation's two buttons: confirm (disabled while `pending`) and back out.
#[component]
pub fn ConfirmActions(
    confirm: Signal<&'static str>,
    back_out: Signal<&'static str>,
    #[prop(into)] pending: Signal<bool>,
    on_confirm: Callback<()>,
    on_back_out: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="actions-row">
            <button type="button" class="button button--primary" disabled=pending on:click=move |_| on_confirm.run(())>
                {confirm}
            </button>
            <button type="button" class="button" on:click=move |_| on_back_out.run(())>
                {back_out}
            </button>
        </div>
    }
}

/// Opens the dialog (`showModal`) while `open` is true, remembering what had focus, and gives
/// focus back when it closes.
fn show_while(open: Signal<bool>, dialog: impl Fn() -> Option<HtmlDialogElement> + 'static) {
    let opener = StoredValue::new_local(None::<HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let Some(shown) = dialog() else { return false };
        if is_open && !shown.open() {
            opener.set_value(active_element());
            let _ = shown.show_modal();
        } else if !is_open {
            if shown.open() {
                shown.close();
            }
            if was_open == Some(true) {
                restore_focus(opener.get_value());
            }
        }
        is_open
    });
}

/// Tab and Shift+Tab cycle among the dialog's controls.
fn keep_tab_inside(dialog: &HtmlDialogElement, event: &KeyboardEvent) {
    if event.key() != "Tab" {
        return;
    }
    let controls = focusable(dialog);
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return };
    let active = active_element();
    let at_edge = if event.shift_key() { active.as_ref() == Some(first) } else { active.as_ref() == Some(last) };
    let outside = !active.is_some_and(|active| dialog.contains(Some(&active)));
    if at_edge || outside {
        event.prevent_default();
        let _ = if event.shift_key() { last.focus() } else { first.focus() };
    }
}

/// Focus back on the opener; if the page changed under it (the action re-rendered the page),
/// on the page's `main` once the new content is there, so focus is never lost to the body.
fn restore_focus(opener: Option<HtmlElement>) {
    if let Some(opener) = opener.filter(|opener| opener.is_connected()) {
        let _ = opener.focus();
    }
    request_animation_frame(|| {
        let lost = active_element().is_none_or(|active| !active.is_connected() || active.tag_name() == "BODY");
        if lost {
            if let Some(main) = main_element() {
                let _ = main.focus();
            }
        }
    });
}

/// The dialog's visible controls, in document order.
fn focusable(dialog: &HtmlDialogElement) -> Vec<HtmlElement> {
    let Ok(nodes) = dialog.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..nodes.length())
        .filter_map(|index| nodes.item(index)?.dyn_into::<HtmlElement>().ok())
        // Hidden ones (`display: none` up the tree) have no layout box.
        .filter(|control| control.get_client_rects().length() > 0)
        .collect()
}

fn active_element() -> Option<HtmlElement> {
    web_sys::window()?.document()?.active_element()?.dyn_into::<HtmlElement>().ok()
}

fn main_element() -> Option<HtmlElement> {
    web_sys::window()?.document()?.get_element_by_id("main")?.dyn_into::<HtmlElement>().ok()
}
