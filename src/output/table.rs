//! Plain-text tables with aligned columns, for terminal output.

/// A table: a header row and data rows; numeric-looking cells are right-aligned.
#[derive(Debug, Default, Clone)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// The same table as CSV for spreadsheets: numbers without thousands separators.
    pub fn to_csv(&self) -> String {
        let plain = |c: &String| {
            let digits = c.replace(',', "");
            let numeric = !digits.is_empty()
                && digits.parse::<f64>().is_ok()
                && c.chars()
                    .all(|ch| ch.is_ascii_digit() || ",.-+".contains(ch));
            if numeric { digits } else { c.clone() }
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r.iter().map(plain));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
    /// Renders with two spaces between columns.
    pub fn render(&self) -> String {
        let ncol = self
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.header.len()))
            .max()
            .unwrap_or(0);
        let mut width = vec![0usize; ncol];
        for r in std::iter::once(&self.header).chain(self.rows.iter()) {
            for (i, c) in r.iter().enumerate() {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let numeric: Vec<bool> = (0..ncol)
            .map(|i| {
                self.rows.iter().all(|r| {
                    r.get(i).is_none_or(|c| {
                        c.is_empty()
                            || c == "-"
                            || c.chars()
                                .all(|ch| ch.is_ascii_digit() || ",.-+%".contains(ch))
                    })
                }) && !self.rows.is_empty()
            })
            .collect();
        let mut out = String::new();
        let line = |r: &Vec<String>, out: &mut String| {
            let mut cells = Vec::with_capacity(ncol);
            for i in 0..ncol {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                let pad = width[i].saturating_sub(c.chars().count());
                if numeric[i] {
                    cells.push(format!("{}{c}", " ".repeat(pad)));
                } else {
                    cells.push(format!("{c}{}", " ".repeat(pad)));
                }
            }
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        };
        line(&self.header, &mut out);
        let rule: Vec<String> = width.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }
}

/// Formats a number with thousands separators and `decimals` places: 4720.5 -> "4,720.5".
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_separators() {
        assert_eq!(num(4720.46, 1), "4,720.5");
        assert_eq!(num(999.0, 0), "999");
        assert_eq!(num(-1234567.0, 0), "-1,234,567");
        assert_eq!(num(f64::NAN, 0), "-");
    }

    #[test]
    fn columns_align() {
        let mut t = Table::new(["place", "km"]);
        t.row(["Ölgii", "75"]);
        t.row(["Ulaanbaatar", "1,234"]);
        let s = t.render();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[2], "Ölgii           75");
        assert_eq!(lines[3], "Ulaanbaatar  1,234");
    }
}
