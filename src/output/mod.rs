//! Writers: plain-text tables, JSON, CSV and GeoJSON, and atomic file output.

pub mod atomic;
pub mod geojson;
pub mod many;
pub mod propose;
pub mod route;
pub mod scenario;
pub mod style;
pub mod table;

/// Text made safe for a terminal: control characters other than newline and tab (an ANSI
/// escape in a place name, say) are shown as `\u{1b}` instead of acting on the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}
