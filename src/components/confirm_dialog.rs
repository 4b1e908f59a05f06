//! A modal confirmation: a `<dialog role="alertdialog">` shown with `showModal()` while `open`
//! is true. The rest of the page is inert meanwhile; Tab and Shift+Tab stay among the dialog's
//! controls; Escape closes it; on closing, focus returns to the control that opened it (or to
//! the page's `main` when that control is gone, say after the page changed).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement, KeyboardEvent};

use crate::dom::{button, div, el, El};

/// What can take focus inside the dialog.
const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), \
                         textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// `content` (which holds the element with id `labelled_by`, the question) in a modal dialog
/// shown while `open` is true; `on_close` is called when the reader closes it with Escape.
pub fn confirm_dialog(open: Signal<bool>, labelled_by: &str, on_close: impl Fn() + 'static, content: El) -> El {
    let dialog = el("dialog")
        .class("confirm dialog")
        .attr("role", "alertdialog")
        .attr("aria-labelledby", labelled_by)
        .child(content);
    let element: HtmlDialogElement = dialog.element().clone().unchecked_into();
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let shown = element.clone();
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
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
    let trap = element.clone();
    dialog
        .on("keydown", move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
            if event.key() != "Tab" {
                return;
            }
            let controls = focusable(&trap);
            let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return };
            let active = active_element();
            let at_edge =
                if event.shift_key() { active.as_ref() == Some(first) } else { active.as_ref() == Some(last) };
            let outside = !active.is_some_and(|active| trap.contains(Some(&active)));
            if at_edge || outside {
                event.prevent_default();
                let _ = if event.shift_key() { last.focus() } else { first.focus() };
            }
        })
        // Escape: the browser fires `cancel` and closes the dialog; the state follows, and the
        // effect above returns focus.
        .on("cancel", move |_| on_close())
}

/// A confirmation's two buttons: `confirm` (disabled while `pending`) and `back_out`.
pub fn confirm_actions(
    confirm: Signal<&'static str>,
    back_out: Signal<&'static str>,
    pending: Signal<bool>,
    on_confirm: impl FnMut() + 'static,
    on_back_out: impl FnMut() + 'static,
) -> El {
    div("actions-row")
        .child(button("button button--primary", confirm).flag_signal("disabled", pending).on_click(on_confirm))
        .child(button("button", back_out).on_click(on_back_out))
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
