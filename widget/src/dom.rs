//! A few helpers for building elements; every DOM failure is ignored (the widget then shows less,
//! it never throws into the host page).

use web_sys::{Document, Element};

pub struct Dom(Document);

impl Dom {
    pub fn new() -> Option<Dom> {
        web_sys::window().and_then(|window| window.document()).map(Dom)
    }

    /// A new `tag` element with `class` (none when empty).
    pub fn element(&self, tag: &str, class: &str) -> Element {
        let element = self.0.create_element(tag).expect("valid tag name");
        if !class.is_empty() {
            element.set_class_name(class);
        }
        element
    }

    pub fn text_element(&self, tag: &str, class: &str, text: &str) -> Element {
        let element = self.element(tag, class);
        element.set_text_content(Some(text));
        element
    }

    /// Appends a new element to `parent` and returns it.
    pub fn child(&self, parent: &Element, tag: &str, class: &str) -> Element {
        let element = self.element(tag, class);
        parent.append_child(&element).ok();
        element
    }

    pub fn text_child(&self, parent: &Element, tag: &str, class: &str, text: &str) -> Element {
        let element = self.text_element(tag, class, text);
        parent.append_child(&element).ok();
        element
    }

    pub fn append_text(&self, parent: &Element, text: &str) {
        parent.append_child(&self.0.create_text_node(text)).ok();
    }
}
