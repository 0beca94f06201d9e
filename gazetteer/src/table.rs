//! The small tab-separated tables an analyst edits (word lists, cues,
//! lexicons): one header line naming the columns, then one entry per line;
//! blank lines and lines starting with `#` are comments. Shared by the
//! gazetteer's tables and the extraction crate's, so that every table
//! reports a bad row the same way: file, line and column.

use crate::error::{Error, Result};
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;

/// A parsed table: its columns and rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    name: Rc<str>,
    columns: Vec<&'a str>,
    rows: Vec<Row<'a>>,
}

/// One entry of a table.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    name: Rc<str>,
    /// 1-based line number in the file.
    pub line: usize,
    columns: Rc<[&'a str]>,
    fields: Vec<&'a str>,
}

impl<'a> Table<'a> {
    /// Parse `text` (the file `name`, for messages). The header must start
    /// with the `required` columns, in that order; further columns (often
    /// `comment`) are allowed. Every row needs a non-empty first field and
    /// no more fields than the header has.
    pub fn parse(name: &str, text: &'a str, required: &[&str]) -> Result<Table<'a>> {
        let name: Rc<str> = name.into();
        let mut columns: Option<Rc<[&'a str]>> = None;
        let mut rows = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&'a str> = line.split('\t').map(str::trim).collect();
            let Some(cols) = &columns else {
                if fields.len() < required.len() || fields[..required.len()] != *required {
                    return Err(row_error(
                        &name,
                        i + 1,
                        "header",
                        format!("expected the columns `{}` first", required.join("\\t")),
                    ));
                }
                columns = Some(fields.into());
                continue;
            };
            if fields[0].is_empty() {
                return Err(row_error(&name, i + 1, cols[0], "is empty".into()));
            }
            if fields.len() > cols.len() {
                return Err(row_error(
                    &name,
                    i + 1,
                    "row",
                    format!("{} fields, the header has {}", fields.len(), cols.len()),
                ));
            }
            rows.push(Row {
                name: name.clone(),
                line: i + 1,
                columns: cols.clone(),
                fields,
            });
        }
        let Some(cols) = columns else {
            return Err(row_error(
                &name,
                1,
                "header",
                "the table has no header".into(),
            ));
        };
        Ok(Table {
            name,
            columns: cols.to_vec(),
            rows,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn columns(&self) -> &[&'a str] {
        &self.columns
    }

    pub fn rows(&self) -> &[Row<'a>] {
        &self.rows
    }
}

impl<'a> IntoIterator for Table<'a> {
    type Item = Row<'a>;
    type IntoIter = std::vec::IntoIter<Row<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a> Row<'a> {
    /// The field of `column`, empty when the row stops before it.
    ///
    /// # Panics
    /// When the table has no such column: a programming error, caught by
    /// the tests that load every built-in table.
    pub fn get(&self, column: &str) -> &'a str {
        let Some(k) = self.columns.iter().position(|c| *c == column) else {
            panic!("table {} has no column {column:?}", self.name);
        };
        self.fields.get(k).copied().unwrap_or("")
    }

    /// The field of `column`, which must not be empty.
    pub fn required(&self, column: &str) -> Result<&'a str> {
        match self.get(column) {
            "" => Err(self.error(column, "is empty".into())),
            v => Ok(v),
        }
    }

    /// The field of `column` parsed as a `T`; `what` says what was expected.
    pub fn parse<T: FromStr>(&self, column: &str, what: &str) -> Result<T> {
        let v = self.get(column);
        v.parse()
            .map_err(|_| self.error(column, format!("{v:?} is not {what}")))
    }

    /// The field of `column` parsed as a `T` when not empty.
    pub fn parse_opt<T: FromStr>(&self, column: &str, what: &str) -> Result<Option<T>> {
        match self.get(column) {
            "" => Ok(None),
            _ => self.parse(column, what).map(Some),
        }
    }

    /// An error about this row's `column`.
    pub fn error(&self, column: &str, message: String) -> Error {
        row_error(&self.name, self.line, column, message)
    }
}

fn row_error(name: &str, line: usize, field: &str, message: String) -> Error {
    Error::Row {
        path: Path::new(name).into(),
        line,
        field: field.into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "# A comment.\nword\tvalue\tcomment\nun\t1\tone\n\ndeux\t2\n# trailing\n";

    #[test]
    fn rows_skip_comments_and_name_their_columns() {
        let t = Table::parse("t.tsv", T, &["word", "value"]).unwrap();
        assert_eq!(t.columns(), ["word", "value", "comment"]);
        let rows = t.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].get("word"), rows[0].line), ("un", 3));
        assert_eq!(rows[1].get("comment"), "");
        assert_eq!(rows[1].parse::<u32>("value", "a number").unwrap(), 2);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let e = Table::parse("t.tsv", "word\tvalue\nun\tx\n", &["word", "value"])
            .unwrap()
            .rows()[0]
            .parse::<u32>("value", "a whole number")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.tsv:2: field `value`: \"x\" is not a whole number"
        );
        let e = Table::parse("t.tsv", "word\tkind\n", &["word", "value"]).unwrap_err();
        assert!(e.to_string().starts_with("t.tsv:1: field `header`"), "{e}");
        let e = Table::parse("t.tsv", "word\n\tx\n", &["word"]).unwrap_err();
        assert_eq!(e.to_string(), "t.tsv:2: field `word`: is empty");
        let e = Table::parse("t.tsv", "word\nun\tdeux\n", &["word"]).unwrap_err();
        assert!(e.to_string().contains("2 fields, the header has 1"), "{e}");
    }
}
