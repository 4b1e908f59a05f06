//! App-wide state, each as a `provide_x()` / `use_x()` pair.

pub mod locale;
pub mod program;
pub mod resource;
pub mod route;
pub mod session;
