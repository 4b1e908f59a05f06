//! Partner-side wire types and paths: eligibility data, enrollment, business profile, directory.
