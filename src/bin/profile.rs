//! The profile bundle: the partner's business profile, its directory preview and widget snippet.

fn main() {
    planning_portal::app::start("profile", planning_portal::app::profile_pages);
}
