//! The browser app's entry point: every page of the portal in one Leptos app (`app::start`).

fn main() {
    planning_portal::app::start();
}
