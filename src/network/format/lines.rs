//! Where features are in the text: byte offsets of features and line numbers.

/// Finds the byte offset where each element of the top-level `features` array starts, so
/// problems can name a line. Returns an empty list if the text is not shaped as expected.
pub fn feature_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut last_key_at_depth1: Option<(usize, usize)> = None;
    let mut in_features = false;
    let mut expect_element = false;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    last_key_at_depth1 = Some((start, i.min(bytes.len())));
                }
                if in_features && depth == 2 && expect_element {
                    out.push(start - 1);
                    expect_element = false;
                }
            }
            b'{' | b'[' => {
                if in_features && depth == 2 && expect_element {
                    out.push(i);
                    expect_element = false;
                }
                depth += 1;
                if c == b'['
                    && depth == 2
                    && let Some((s, e)) = last_key_at_depth1
                    && &text[s..e] == "features"
                {
                    in_features = true;
                    expect_element = true;
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_features = false;
                }
            }
            b',' if in_features && depth == 2 => expect_element = true,
            _ => {}
        }
        i += 1;
    }
    out
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    LineIndex::new(text).line_of(offset)
}

/// Where each line starts, built once per file: a byte offset's line is a binary search, so
/// naming the line of every feature stays linear in the file's size.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset)
    }
}
