//! Registry files: the CSV dialect the navigator reads and writes, and the per-row, per-column
//! errors of an import.
//!
//! The dialect is the one Excel opens well in a Russian locale: UTF-8 with a byte-order mark (so
//! Cyrillic is not read as cp1251), fields separated by `;` (the comma is the decimal separator
//! there), CRLF line ends, fields quoted with `"` when they hold a separator, a quote or a line
//! break. Money is written with a decimal comma (`2200,00`), dates as `2026-09-01`, yes/no as
//! `да`/`нет`. Reading is lenient where it costs nothing: a missing BOM, LF line ends, a decimal
//! point, `true`/`false`.
//!
//! Rows are numbered as the spreadsheet shows them: the header is row 1, the first data row 2.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;

use crate::Money;

pub const SEPARATOR: char = ';';
const BOM: char = '\u{feff}';

/// One cell of an imported file that breaks a rule. `row` 1 is the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: u32,
    /// The column's header, or empty for a problem of the whole row.
    pub column: String,
    pub code: &'static str,
    /// In Russian: what the operator fixes in the cell.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "строка {}: {} ({})", self.row, self.message, self.code)
        } else {
            write!(
                f,
                "строка {}, столбец «{}»: {} ({})",
                self.row, self.column, self.message, self.code
            )
        }
    }
}

/// Splits CSV text into records of fields. A quote left open is an error at the row where it
/// opened.
pub fn parse_records(text: &str) -> Result<Vec<(u32, Vec<String>)>, RowError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut quoted_at = 0;
    // Spreadsheets number records, not lines: a cell with a line break stays in its row.
    let mut record_row: u32 = 1;
    let mut chars = text.chars().peekable();
    let mut pending = false;
    while let Some(c) = chars.next() {
        pending = true;
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                quoted_at = record_row;
            }
            c if c == SEPARATOR => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                records.push((record_row, std::mem::take(&mut record)));
                record_row += 1;
                pending = false;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(RowError {
            row: quoted_at,
            column: String::new(),
            code: "csv_unclosed_quote",
            message: "кавычка в строке не закрыта".into(),
        });
    }
    if pending {
        record.push(field);
        records.push((record_row, record));
    }
    // Blank lines (a trailing one, most often) are not rows.
    records.retain(|(_, fields)| !(fields.len() == 1 && fields[0].trim().is_empty()));
    Ok(records)
}

/// Appends one record, quoting the fields that need it, with CRLF.
pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(SEPARATOR);
        }
        let field = field.as_ref();
        if field.contains([SEPARATOR, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// The start of a file: the byte-order mark and the header row.
pub fn header(columns: &[&str]) -> String {
    let mut out = String::new();
    out.push(BOM);
    write_record(&mut out, columns);
    out
}

/// A parsed file whose header names exactly the expected columns, in any order.
#[derive(Debug)]
pub struct Sheet {
    positions: HashMap<&'static str, usize>,
    rows: Vec<(u32, Vec<String>)>,
}

impl Sheet {
    /// Reads the text; every missing or unknown column is an error of row 1.
    pub fn parse(text: &str, columns: &[&'static str]) -> Result<Sheet, Vec<RowError>> {
        let mut records = parse_records(text).map_err(|e| vec![e])?.into_iter();
        let Some((_, names)) = records.next() else {
            return Err(vec![RowError {
                row: 1,
                column: String::new(),
                code: "csv_empty",
                message: "файл пуст: нужна строка заголовков".into(),
            }]);
        };
        let mut errors = Vec::new();
        let mut positions = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            // Spreadsheets save the empty cells right of the header as empty columns.
            if name.trim().is_empty() {
                continue;
            }
            match columns.iter().find(|c| **c == name.trim()) {
                Some(column) if positions.insert(*column, index).is_none() => {}
                Some(_) => {
                    errors.push(header_error(name, "column_repeated", "столбец повторяется"))
                }
                None => errors.push(header_error(name, "column_unknown", "неизвестный столбец")),
            }
        }
        for column in columns {
            if !positions.contains_key(column) {
                errors.push(header_error(column, "column_missing", "нет столбца"));
            }
        }
        if errors.is_empty() {
            Ok(Sheet {
                positions,
                rows: records.collect(),
            })
        } else {
            Err(errors)
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The data rows, each reading its cells by column name and collecting its errors.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(number, cells)| Row {
            number: *number,
            cells,
            positions: &self.positions,
            errors: Vec::new(),
        })
    }
}

fn header_error(column: &str, code: &'static str, message: &str) -> RowError {
    RowError {
        row: 1,
        column: column.trim().to_string(),
        code,
        message: message.into(),
    }
}

/// One data row being read: each getter records an error for its cell and returns `None` when
/// the cell is wrong, so that one pass reports every bad cell of the row.
#[derive(Debug)]
pub struct Row<'a> {
    pub number: u32,
    cells: &'a [String],
    positions: &'a HashMap<&'static str, usize>,
    errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    /// The trimmed cell; empty when the row is shorter than the header.
    pub fn cell(&self, column: &str) -> &'a str {
        self.positions
            .get(column)
            .and_then(|i| self.cells.get(*i))
            .map_or("", |s| s.trim())
    }

    pub fn error(&mut self, column: &str, code: &'static str, message: impl Into<String>) {
        self.errors.push(RowError {
            row: self.number,
            column: column.to_string(),
            code,
            message: message.into(),
        });
    }

    /// The errors found so far, leaving the row without any.
    pub fn take_errors(&mut self) -> Vec<RowError> {
        std::mem::take(&mut self.errors)
    }

    /// The cell as text, whatever it holds (length rules are the API's, checked afterwards).
    pub fn text(&self, column: &str) -> String {
        self.cell(column).to_string()
    }

    /// `None` for an empty cell.
    pub fn optional_text(&self, column: &str) -> Option<String> {
        Some(self.cell(column))
            .filter(|c| !c.is_empty())
            .map(str::to_string)
    }

    /// A cell parsed by `parse`; `what` says in Russian what the cell must hold.
    pub fn parsed<T>(
        &mut self,
        column: &str,
        code: &'static str,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let cell = self.cell(column);
        let value = parse(cell);
        if value.is_none() {
            if cell.is_empty() {
                self.error(column, "required", format!("заполните: {what}"));
            } else {
                self.error(column, code, what.to_string());
            }
        }
        value
    }

    pub fn whole(&mut self, column: &str) -> Option<i64> {
        self.parsed(column, "integer", "целое число", |c| {
            c.parse().ok()
        })
    }

    pub fn money(&mut self, column: &str) -> Option<Money> {
        self.parsed(column, "money", "сумма в рублях: 2200,00", parse_money)
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.parsed(
            column,
            "date",
            "дата: 2026-09-01 или 01.09.2026",
            parse_date,
        )
    }

    pub fn optional_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
        if self.cell(column).is_empty() {
            Some(None)
        } else {
            self.date(column).map(Some)
        }
    }

    pub fn yes_no(&mut self, column: &str) -> Option<bool> {
        self.parsed(column, "yes_no", "«да» или «нет»", parse_yes_no)
    }

    /// A decimal number with a point or a comma; `None` inside for an empty cell.
    pub fn optional_decimal(&mut self, column: &str) -> Option<Option<f64>> {
        if self.cell(column).is_empty() {
            return Some(None);
        }
        self.parsed(column, "number", "число: 54,98", |c| {
            c.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
        })
        .map(Some)
    }
}

/// Roubles with two, one or no digits of kopecks, with a comma or a point: `2200,00`, `2200.5`,
/// `2200`. Spaces between thousands are ignored (Excel writes `2 200,00`).
pub fn parse_money(cell: &str) -> Option<Money> {
    let compact: String = cell
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let normal = match compact.split_once('.') {
        Some((_, kopecks)) if kopecks.len() == 1 => format!("{compact}0"),
        Some(_) => compact,
        None => format!("{compact}.00"),
    };
    normal.parse().ok()
}

/// Money as the file writes it: `2200,00`.
pub fn format_money(money: Money) -> String {
    money.to_string().replace('.', ",")
}

/// `2026-09-01` or `01.09.2026`.
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(cell, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(cell, "%d.%m.%Y"))
        .ok()
}

pub fn parse_yes_no(cell: &str) -> Option<bool> {
    match cell.to_lowercase().as_str() {
        "да" | "true" | "1" => Some(true),
        "нет" | "false" | "0" => Some(false),
        _ => None,
    }
}

pub fn format_yes_no(value: bool) -> &'static str {
    if value {
        "да"
    } else {
        "нет"
    }
}

/// A coordinate as the file writes it: a decimal comma, as many digits as it has.
pub fn format_decimal(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| v.to_string().replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_quotes_separators_and_line_breaks() {
        let text = "\u{feff}a;b\r\n\"x;y\";\"say \"\"hi\"\"\"\r\n\"two\nlines\";z\n\n";
        let records = parse_records(text).expect("valid CSV");
        assert_eq!(
            records,
            [
                (1, vec!["a".to_string(), "b".into()]),
                (2, vec!["x;y".into(), "say \"hi\"".into()]),
                (3, vec!["two\nlines".into(), "z".into()]),
            ]
        );
        let unclosed = parse_records("a\n\"b;c\n").expect_err("an open quote");
        assert_eq!((unclosed.row, unclosed.code), (2, "csv_unclosed_quote"));
    }

    #[test]
    fn what_is_written_reads_back() {
        let fields = [
            "plain",
            "with;separator",
            "with \"quotes\"",
            "two\r\nlines",
            "",
        ];
        let mut out = header(&["h1", "h2", "h3", "h4", "h5"]);
        write_record(&mut out, &fields);
        let records = parse_records(&out).expect("valid CSV");
        assert_eq!(records[1].1, fields);
    }

    #[test]
    fn the_header_must_name_every_column_once() {
        let errors = Sheet::parse("b;c;c\n", &["a", "b"]).expect_err("a bad header");
        let codes: Vec<_> = errors.iter().map(|e| (e.column.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("c", "column_unknown"),
                ("c", "column_unknown"),
                ("a", "column_missing")
            ]
        );
        let sheet = Sheet::parse("b;a;;\n2;1;;\n", &["a", "b"]).expect("columns in any order");
        let row = sheet.rows().next().expect("a row");
        assert_eq!((row.number, row.cell("a"), row.cell("b")), (2, "1", "2"));
    }

    #[test]
    fn cells_in_the_russian_locale() {
        assert_eq!(parse_money("2 200,00"), Some(Money::from_kopecks(220_000)));
        assert_eq!(parse_money("2200.5"), Some(Money::from_kopecks(220_050)));
        assert_eq!(parse_money("2200"), Some(Money::from_kopecks(220_000)));
        assert_eq!(parse_money("22,005"), None);
        assert_eq!(parse_money("две тысячи"), None);
        assert_eq!(format_money(Money::from_kopecks(220_050)), "2200,50");
        assert_eq!(
            parse_date("01.09.2026"),
            NaiveDate::from_ymd_opt(2026, 9, 1)
        );
        assert_eq!(parse_yes_no("Да"), Some(true));
        assert_eq!(parse_yes_no("может быть"), None);
    }

    #[test]
    fn a_row_reports_every_bad_cell() {
        let sheet = Sheet::parse("n;m;d\nx;1,5;\n", &["n", "m", "d"]).expect("a header");
        let mut row = sheet.rows().next().expect("a row");
        assert_eq!(row.whole("n"), None);
        assert!(row.money("m").is_some());
        assert_eq!(row.date("d"), None);
        let codes: Vec<_> = row.take_errors().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["integer", "required"]);
    }
}
