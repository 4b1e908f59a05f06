//! A small, non-generic DOM builder for page content, on Leptos' reactive system.
//!
//! Why not `view!` for pages: Leptos' typed views monomorphize build/rebuild code for every
//! view tree and every reactive closure. Measured on this app (wasm-release, gzip -9): the
//! voucher list cost 43.6 KiB, the reservation form 30.2 KiB and the voucher page 53.7 KiB —
//! three pages would have used the whole 250 KiB budget. Here every element is built by the same
//! few functions, reactivity is `Signal`s bound to nodes by a handful of shared effects, and a
//! page costs what its own logic costs.
//!
//! Ownership: bindings are `Effect`s and listeners are `StoredValue`s, both owned by the
//! reactive owner current when they are created. A [`El::dynamic`] section re-renders inside
//! its effect, whose owner disposes the previous render's effects and listeners first; pages
//! are rendered inside the router's effect in the same way.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// An element under construction; every method consumes and returns it, for chaining.
#[must_use]
pub struct El(Element);

/// Runs `update` now and whenever a signal it reads changes, for as long as the current
/// reactive owner lives. Every binding goes through this one function, so the effect machinery
/// is compiled once rather than once per binding (which cost ~1.5 KiB of wasm each).
pub fn bind(update: Box<dyn Fn()>) {
    Effect::new(move |_| update());
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|window| window.document()).expect("the app runs in a browser page")
}

/// A new element named `tag`.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).expect("a valid tag name"))
}

/// A new element in a namespace (SVG).
pub fn el_ns(namespace: &str, tag: &str) -> El {
    El(document().create_element_ns(Some(namespace), tag).expect("a valid tag name"))
}

/// A new element with a class.
pub fn div(class: &str) -> El {
    el("div").class(class)
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    pub fn class(self, value: &str) -> El {
        self.attr("class", value)
    }

    pub fn id(self, value: &str) -> El {
        self.attr("id", value)
    }

    /// A boolean attribute present only when `on` is true.
    pub fn flag(self, name: &str, on: bool) -> El {
        if on {
            let _ = self.0.set_attribute(name, "");
        }
        self
    }

    /// Static text.
    pub fn text(self, value: &str) -> El {
        let _ = self.0.append_with_str_1(value);
        self
    }

    /// A translated string that follows the reader's language (from `tr!`).
    pub fn tr(self, text: Signal<&'static str>) -> El {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        bind(Box::new(move || node.set_data(text.get())));
        self
    }

    /// Text that follows a signal.
    pub fn text_signal(self, text: Signal<String>) -> El {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        bind(Box::new(move || text.with(|text| node.set_data(text))));
        self
    }

    /// An attribute that follows a signal; `None` removes it.
    pub fn attr_signal(self, name: &'static str, value: Signal<Option<String>>) -> El {
        let element = self.0.clone();
        bind(Box::new(move || {
            let _ = match value.get() {
                Some(value) => element.set_attribute(name, &value),
                None => element.remove_attribute(name),
            };
        }));
        self
    }

    /// An attribute with translated text (an `aria-label`, a placeholder).
    pub fn attr_tr(self, name: &'static str, value: Signal<&'static str>) -> El {
        let element = self.0.clone();
        bind(Box::new(move || {
            let _ = element.set_attribute(name, value.get());
        }));
        self
    }

    /// A boolean attribute (`hidden`, `disabled`, `aria-busy`…) that follows a signal.
    pub fn flag_signal(self, name: &'static str, on: Signal<bool>) -> El {
        let element = self.0.clone();
        bind(Box::new(move || {
            let _ = if on.get() { element.set_attribute(name, "") } else { element.remove_attribute(name) };
        }));
        self
    }

    /// Hidden unless `visible`.
    pub fn visible(self, visible: Signal<bool>) -> El {
        self.flag_signal("hidden", Signal::derive(move || !visible.get()))
    }

    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn maybe(self, child: Option<El>) -> El {
        match child {
            Some(child) => self.child(child),
            None => self,
        }
    }

    pub fn children(self, children: Vec<El>) -> El {
        for child in children {
            let _ = self.0.append_child(&child.0);
        }
        self
    }

    /// Listens to `event` for as long as the reactive owner lives.
    pub fn on(self, event: &'static str, handler: impl FnMut(web_sys::Event) + 'static) -> El {
        self.listen(event, Box::new(handler))
    }

    fn listen(self, event: &'static str, handler: Box<dyn FnMut(web_sys::Event)>) -> El {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::wrap(handler);
        let _ = self.0.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        StoredValue::new_local(closure);
        self
    }

    /// A click handler.
    pub fn on_click(self, handler: impl FnMut() + 'static) -> El {
        let mut handler: Box<dyn FnMut()> = Box::new(handler);
        self.listen("click", Box::new(move |_| handler()))
    }

    /// A form's submit handler (the browser's own submission is prevented).
    pub fn on_submit(self, handler: impl FnMut() + 'static) -> El {
        let mut handler: Box<dyn FnMut()> = Box::new(handler);
        self.attr("novalidate", "").listen(
            "submit",
            Box::new(move |event| {
                event.prevent_default();
                handler();
            }),
        )
    }

    /// Two-way binding of an `input`, `select` or `textarea` value.
    pub fn value(self, value: RwSignal<String>) -> El {
        let element = self.0.clone();
        bind(Box::new(move || {
            let current = value.get();
            if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
                if input.value() != current {
                    input.set_value(&current);
                }
            } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
                select.set_value(&current);
            } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                if area.value() != current {
                    area.set_value(&current);
                }
            }
        }));
        let is_select = self.0.tag_name() == "SELECT";
        self.listen(
            if is_select { "change" } else { "input" },
            Box::new(move |event| {
                if let Some(target) = event.target() {
                    let typed = if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.value()
                    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
                        select.value()
                    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                        area.value()
                    } else {
                        return;
                    };
                    value.set(typed);
                }
            }),
        )
    }

    /// Two-way binding of a checkbox.
    pub fn checked(self, value: RwSignal<bool>) -> El {
        let element = self.0.clone();
        bind(Box::new(move || {
            if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_checked(value.get());
            }
        }));
        self.listen(
            "change",
            Box::new(move |event| {
                if let Some(input) =
                    event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    value.set(input.checked());
                }
            }),
        )
    }

    /// A section rendered again whenever a signal it reads changes (lists, loaded data).
    /// Keep forms outside it: re-rendering replaces its elements.
    pub fn dynamic(self, render: impl Fn() -> Option<El> + 'static) -> El {
        self.dynamic_boxed(Box::new(render))
    }

    fn dynamic_boxed(self, render: Box<dyn Fn() -> Option<El>>) -> El {
        let host = el("div").class("dynamic");
        let element = host.0.clone();
        Effect::new(move |_| {
            let fresh = render();
            element.set_text_content(None);
            if let Some(fresh) = fresh {
                let _ = element.append_child(&fresh.0);
            }
        });
        self.child(host)
    }

    /// Children rendered again whenever a signal `render` reads changes, directly inside this
    /// element (a `tbody`'s rows, a list's items), with no wrapper.
    pub fn dynamic_children(self, render: impl Fn() -> Vec<El> + 'static) -> El {
        self.dynamic_children_boxed(Box::new(render))
    }

    fn dynamic_children_boxed(self, render: Box<dyn Fn() -> Vec<El>>) -> El {
        let element = self.0.clone();
        Effect::new(move |_| {
            let fresh = render();
            element.set_text_content(None);
            for child in fresh {
                let _ = element.append_child(&child.0);
            }
        });
        self
    }

    pub fn element(&self) -> &Element {
        &self.0
    }

    pub fn into_element(self) -> Element {
        self.0
    }
}

/// Several siblings with no wrapper of their own (a `display: contents` element).
pub fn group(children: Vec<El>) -> El {
    div("group").children(children)
}

/// A translated text in an element: `tr_el("h1", tr!(key))`.
pub fn tr_el(tag: &str, text: Signal<&'static str>) -> El {
    el(tag).tr(text)
}

/// Static text in an element.
pub fn text_el(tag: &str, text: &str) -> El {
    el(tag).text(text)
}

/// A container of `class` that scrolls sideways when its content (a table, a chart) is wider
/// than the screen: a named group in the Tab order, so the arrow keys can scroll it.
pub fn scroll_box(class: &str, label: Signal<&'static str>) -> El {
    div(class).attr("role", "group").attr("tabindex", "0").attr_tr("aria-label", label)
}

/// A link to an app page (the router intercepts the click).
pub fn link(href: &str, text: Signal<&'static str>) -> El {
    el("a").attr("href", href).tr(text)
}

/// A button of `class` with translated text.
pub fn button(class: &str, text: Signal<&'static str>) -> El {
    el("button").attr("type", "button").class(class).tr(text)
}

/// A Leptos view inside builder content (the timeline components are written with `view!`).
pub fn leptos_view<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> El {
    let host = div("group");
    if let Ok(parent) = host.0.clone().dyn_into::<web_sys::HtmlElement>() {
        let handle = leptos::mount::mount_to(parent, view);
        StoredValue::new_local(handle);
    }
    host
}

/// Builder content as a Leptos view (a `display: contents` wrapper): how a page built here sits
/// in the router's `view!` tree. The content is appended while the wrapper is built, so it is
/// in the document as soon as the route renders.
pub fn mount(content: El) -> impl IntoView {
    use std::cell::Cell;
    use std::rc::Rc;
    fn append(host: Element, content: Rc<Cell<Option<El>>>) {
        if let Some(content) = content.take() {
            let _ = host.append_child(content.element());
        }
    }
    let content = Rc::new(Cell::new(Some(content)));
    view! { <div class="group" use:append=content></div> }
}
