//! The portal bundle: the program timeline, signing in and the inbox.

fn main() {
    planning_portal::app::start("portal", planning_portal::app::portal_pages);
}
