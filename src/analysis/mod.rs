//! Analyses over many searches.
