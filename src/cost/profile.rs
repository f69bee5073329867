//! The request profile.
