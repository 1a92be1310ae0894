//! Registry files: one model of a file whatever its format ([`Table`]: numbered rows of typed
//! [`Cell`]s, the first the header), the CSV dialect the navigator reads and writes, and the
//! per-row, per-column errors of an import.
//!
//! A CSV file gives text cells; a spreadsheet (XLSX, read outside this crate) gives the cells as
//! Excel typed them: numbers, dates, booleans, text, formula errors. [`Row`]'s getters accept what
//! a person typing in Excel produces (a price typed as the number 2200.5, an ИНН typed as a
//! number that lost its leading zero, a date cell) and refuse what is ambiguous (a number where
//! a date belongs, a date with a time of day, money with fractions of a kopeck) with an error of
//! the cell, so both formats share every rule and the same report.
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

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

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

/// One cell of a registry file: what a CSV field holds (always text) or what a spreadsheet's cell
/// holds as Excel typed it. Writers use the typed variants so that a spreadsheet gets numbers,
/// money and dates, and CSV their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number: a spreadsheet's number cell, or an integer or a coordinate being written.
    Number(f64),
    /// Money being written: a number with two decimals in a spreadsheet, `2200,00` in CSV.
    Money(Money),
    /// A date cell (a spreadsheet's date without a time of day).
    Date(NaiveDate),
    /// A spreadsheet's date cell with a time of day.
    DateTime(NaiveDateTime),
    Bool(bool),
    /// A spreadsheet's formula error, such as `#N/A`.
    Error(String),
}

impl Cell {
    /// The cell as a CSV file writes it and as a text column reads it: numbers with a decimal
    /// comma and no exponent, money `2200,00`, dates `2026-09-01`, yes/no `да`/`нет`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) | Cell::Error(s) => Cow::Borrowed(s),
            Cell::Number(v) => Cow::Owned(format_number(*v)),
            Cell::Money(m) => Cow::Owned(format_money(*m)),
            Cell::Date(d) => Cow::Owned(d.to_string()),
            Cell::DateTime(t) => Cow::Owned(t.format("%Y-%m-%d %H:%M:%S").to_string()),
            Cell::Bool(b) => Cow::Borrowed(format_yes_no(*b)),
        }
    }

    /// `Empty` for `None`, `Text` otherwise.
    pub fn optional_text(text: Option<&str>) -> Cell {
        text.map_or(Cell::Empty, |t| Cell::Text(t.to_string()))
    }

    /// Whether the cell holds nothing but blanks.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

/// A registry file read into rows, or being written: the one model of CSV and XLSX files.
/// Rows keep the numbers the spreadsheet shows (the first line is 1); blank rows are left out.
/// The first row is the header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<(u32, Vec<Cell>)>,
}

impl Table {
    /// A table to write, with its header row.
    pub fn with_header(columns: &[&str]) -> Table {
        Table {
            rows: vec![(1, columns.iter().map(|c| Cell::from(*c)).collect())],
        }
    }

    /// Appends a row numbered after the last.
    pub fn push(&mut self, cells: Vec<Cell>) {
        let number = self.rows.last().map_or(1, |(n, _)| n + 1);
        self.rows.push((number, cells));
    }

    /// Reads CSV text (see the module's documentation for the dialect).
    pub fn from_csv(text: &str) -> Result<Table, RowError> {
        Ok(Table {
            rows: parse_records(text)?
                .into_iter()
                .map(|(n, fields)| (n, fields.into_iter().map(Cell::Text).collect()))
                .collect(),
        })
    }

    /// Writes the table as CSV: the byte-order mark, `;`, CRLF.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        out.push(BOM);
        for (_, cells) in &self.rows {
            let fields: Vec<Cow<'_, str>> = cells.iter().map(Cell::text).collect();
            write_record(&mut out, &fields);
        }
        out
    }

    /// Data rows: the rows after the header.
    pub fn data_rows(&self) -> usize {
        self.rows.len().saturating_sub(1)
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

/// A file whose header names exactly the expected columns, in any order.
#[derive(Debug)]
pub struct Sheet<'a> {
    positions: HashMap<&'static str, usize>,
    rows: &'a [(u32, Vec<Cell>)],
}

impl<'a> Sheet<'a> {
    /// The table's header must name every column once; every missing, unknown or repeated
    /// column is an error of the header's row.
    pub fn new(table: &'a Table, columns: &[&'static str]) -> Result<Sheet<'a>, Vec<RowError>> {
        let Some(((header_row, names), rows)) = table.rows.split_first() else {
            return Err(vec![RowError {
                row: 1,
                column: String::new(),
                code: "file_empty",
                message: "файл пуст: нужна строка заголовков".into(),
            }]);
        };
        let header_error = |column: &str, code: &'static str, message: &str| RowError {
            row: *header_row,
            column: column.trim().to_string(),
            code,
            message: message.into(),
        };
        let mut errors = Vec::new();
        let mut positions = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            let name = name.text();
            // Spreadsheets save the empty cells right of the header as empty columns.
            if name.trim().is_empty() {
                continue;
            }
            match columns.iter().find(|c| **c == name.trim()) {
                Some(column) if positions.insert(*column, index).is_none() => {}
                Some(_) => errors.push(header_error(
                    &name,
                    "column_repeated",
                    "столбец повторяется",
                )),
                None => errors.push(header_error(&name, "column_unknown", "неизвестный столбец")),
            }
        }
        for column in columns {
            if !positions.contains_key(column) {
                errors.push(header_error(column, "column_missing", "нет столбца"));
            }
        }
        if errors.is_empty() {
            Ok(Sheet { positions, rows })
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

/// One data row being read: each getter records an error for its cell and returns `None` when
/// the cell is wrong, so that one pass reports every bad cell of the row (one error per cell:
/// the first found).
#[derive(Debug)]
pub struct Row<'a> {
    pub number: u32,
    cells: &'a [Cell],
    positions: &'a HashMap<&'static str, usize>,
    errors: Vec<RowError>,
}

static EMPTY: Cell = Cell::Empty;

impl<'a> Row<'a> {
    /// The cell as typed; `Empty` when the row is shorter than the header.
    pub fn value(&self, column: &str) -> &'a Cell {
        self.positions
            .get(column)
            .and_then(|i| self.cells.get(*i))
            .unwrap_or(&EMPTY)
    }

    /// The cell as text (see [`Cell::text`]), trimmed.
    pub fn cell(&self, column: &str) -> Cow<'a, str> {
        match self.value(column).text() {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
        }
    }

    pub fn error(&mut self, column: &str, code: &'static str, message: impl Into<String>) {
        if !column.is_empty() && self.errors.iter().any(|e| e.column == column) {
            return;
        }
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

    /// The cell, or `None` after recording the error of a cell whose formula failed.
    fn typed(&mut self, column: &str) -> Option<&'a Cell> {
        match self.value(column) {
            Cell::Error(e) => {
                let message = format!("ошибка формулы в ячейке: {e}");
                self.error(column, "cell_error", message);
                None
            }
            cell => Some(cell),
        }
    }

    /// The cell as text, whatever it holds (length rules are the API's, checked afterwards).
    pub fn text(&mut self, column: &str) -> String {
        match self.typed(column) {
            Some(_) => self.cell(column).into_owned(),
            None => String::new(),
        }
    }

    /// `None` for an empty cell.
    pub fn optional_text(&mut self, column: &str) -> Option<String> {
        Some(self.text(column)).filter(|c| !c.is_empty())
    }

    /// An ИНН. Typed in Excel as a number it loses its leading zero (the region codes 01–09):
    /// a number of 9 or 11 digits gets it back, as no ИНН has that length.
    pub fn inn(&mut self, column: &str) -> String {
        match self.typed(column) {
            Some(Cell::Number(v)) if v.fract() == 0.0 && *v >= 1.0 && *v < 1e12 => {
                let digits = format!("{}", *v as u64);
                if matches!(digits.len(), 9 | 11) {
                    format!("0{digits}")
                } else {
                    digits
                }
            }
            Some(_) => self.cell(column).into_owned(),
            None => String::new(),
        }
    }

    /// A cell read by `typed` (for cells a spreadsheet typed) or parsed from its text by
    /// `parse`; `what` says in Russian what the cell must hold.
    fn read<T>(
        &mut self,
        column: &str,
        code: &'static str,
        what: &str,
        typed: impl FnOnce(&Cell) -> Result<T, Option<&'static str>>,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let cell = self.typed(column)?;
        let value = match cell {
            Cell::Text(_) | Cell::Empty => parse(&self.cell(column)).ok_or(None),
            cell => typed(cell),
        };
        match value {
            Ok(value) => Some(value),
            Err(_) if cell.is_blank() => {
                self.error(column, "required", format!("заполните: {what}"));
                None
            }
            Err(why) => {
                let message = match why {
                    Some(why) => format!("{what} ({why})"),
                    None => what.to_string(),
                };
                self.error(column, code, message);
                None
            }
        }
    }

    /// A cell parsed by `parse` from its text; `what` says in Russian what the cell must hold.
    pub fn parsed<T>(
        &mut self,
        column: &str,
        code: &'static str,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        self.read(column, code, what, |_| Err(None), parse)
    }

    /// An integer: a whole number cell, or its digits.
    pub fn whole(&mut self, column: &str) -> Option<i64> {
        self.read(
            column,
            "integer",
            "целое число",
            |cell| match cell {
                Cell::Number(v) if v.fract() == 0.0 && v.abs() <= MAX_EXACT => Ok(*v as i64),
                Cell::Number(_) => Err(Some("в ячейке дробное число")),
                _ => Err(None),
            },
            |c| c.parse().ok(),
        )
    }

    /// Money: a number cell of whole kopecks (2200 or 2200.5), or its text (`2200,00`).
    pub fn money(&mut self, column: &str) -> Option<Money> {
        self.read(
            column,
            "money",
            "сумма в рублях: 2200,00",
            |cell| match cell {
                Cell::Money(m) => Ok(*m),
                Cell::Number(v) => money_of_number(*v).ok_or(Some("не больше двух знаков копеек")),
                _ => Err(None),
            },
            parse_money,
        )
    }

    /// A date: a date cell, or its text. A number (a date cell whose format was lost) and a date
    /// with a time of day are ambiguous and refused.
    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.read(
            column,
            "date",
            "дата: 2026-09-01 или 01.09.2026",
            |cell| match cell {
                Cell::Date(d) => Ok(*d),
                Cell::DateTime(_) => Err(Some("дата без времени суток")),
                Cell::Number(_) => Err(Some("в ячейке число: задайте ей формат «Дата»")),
                _ => Err(None),
            },
            parse_date,
        )
    }

    pub fn optional_date(&mut self, column: &str) -> Option<Option<NaiveDate>> {
        if self.value(column).is_blank() {
            Some(None)
        } else {
            self.date(column).map(Some)
        }
    }

    /// Yes or no: a boolean cell, 1 or 0, or `да`/`нет`.
    pub fn yes_no(&mut self, column: &str) -> Option<bool> {
        self.read(
            column,
            "yes_no",
            "«да» или «нет»",
            |cell| match cell {
                Cell::Bool(b) => Ok(*b),
                Cell::Number(v) if *v == 1.0 => Ok(true),
                Cell::Number(v) if *v == 0.0 => Ok(false),
                _ => Err(None),
            },
            parse_yes_no,
        )
    }

    /// A decimal number with a point or a comma; `None` inside for an empty cell.
    pub fn optional_decimal(&mut self, column: &str) -> Option<Option<f64>> {
        if self.value(column).is_blank() {
            return Some(None);
        }
        self.read(
            column,
            "number",
            "число: 54,98",
            |cell| match cell {
                Cell::Number(v) if v.is_finite() => Ok(*v),
                _ => Err(None),
            },
            |c| {
                c.replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
            },
        )
        .map(Some)
    }
}

/// The largest integer a spreadsheet's number (an `f64`) holds exactly.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// A number cell as money: whole kopecks, allowing only the error of binary fractions (2200.1 is
/// not exactly representable; 22.005 is half a kopeck and refused).
pub fn money_of_number(value: f64) -> Option<Money> {
    if !value.is_finite() {
        return None;
    }
    let kopecks = value * 100.0;
    let whole = kopecks.round();
    let tolerance = (whole.abs() * 4.0 * f64::EPSILON).max(1e-6);
    if (kopecks - whole).abs() > tolerance || whole.abs() > 1e15 {
        return None;
    }
    Some(Money::from_kopecks(whole as i64))
}

/// A number as a file writes it: a decimal comma, no exponent, no `.0` on whole numbers.
pub fn format_number(value: f64) -> String {
    value.to_string().replace('.', ",")
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
    value.map_or(String::new(), format_number)
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
        let table = Table::from_csv("b;c;c\n").expect("valid CSV");
        let errors = Sheet::new(&table, &["a", "b"]).expect_err("a bad header");
        let codes: Vec<_> = errors.iter().map(|e| (e.column.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("c", "column_unknown"),
                ("c", "column_unknown"),
                ("a", "column_missing")
            ]
        );
        let table = Table::from_csv("b;a;;\n2;1;;\n").expect("valid CSV");
        let sheet = Sheet::new(&table, &["a", "b"]).expect("columns in any order");
        let row = sheet.rows().next().expect("a row");
        assert_eq!(
            (row.number, &*row.cell("a"), &*row.cell("b")),
            (2, "1", "2")
        );
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
        let table = Table::from_csv("n;m;d\nx;1,5;\n").expect("valid CSV");
        let sheet = Sheet::new(&table, &["n", "m", "d"]).expect("a header");
        let mut row = sheet.rows().next().expect("a row");
        assert_eq!(row.whole("n"), None);
        assert!(row.money("m").is_some());
        assert_eq!(row.date("d"), None);
        let codes: Vec<_> = row.take_errors().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["integer", "required"]);
    }

    fn typed(cells: Vec<Cell>) -> Table {
        let mut table = Table::with_header(&["c"]);
        for cell in cells {
            table.push(vec![cell]);
        }
        table
    }

    #[test]
    fn typed_cells_read_as_a_person_typed_them() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date");
        let table = typed(vec![
            Cell::Number(2200.0),
            Cell::Number(2200.5),
            Cell::Number(0.1 + 0.2),
            Cell::Number(22.005),
            Cell::Number(7.0),
            Cell::Number(7.5),
            Cell::Date(date),
            Cell::Number(46266.0),
            Cell::DateTime(date.and_hms_opt(10, 30, 0).expect("a time")),
            Cell::Bool(true),
            Cell::Error("#N/A".into()),
        ]);
        let sheet = Sheet::new(&table, &["c"]).expect("a header");
        let mut rows: Vec<_> = sheet.rows().collect();
        let money: Vec<_> = rows[..4].iter_mut().map(|r| r.money("c")).collect();
        assert_eq!(
            money,
            [
                Some(Money::from_kopecks(220_000)),
                Some(Money::from_kopecks(220_050)),
                Some(Money::from_kopecks(30)),
                None
            ]
        );
        assert_eq!(rows[3].take_errors()[0].code, "money");
        assert_eq!(rows[4].whole("c"), Some(7));
        assert_eq!(rows[5].whole("c"), None);
        assert_eq!(rows[6].date("c"), Some(date));
        assert_eq!(rows[7].date("c"), None);
        assert_eq!(rows[8].date("c"), None);
        assert_eq!(rows[9].yes_no("c"), Some(true));
        assert_eq!(rows[10].text("c"), "");
        let codes: Vec<_> = rows
            .iter_mut()
            .flat_map(|r| r.take_errors())
            .map(|e| (e.row, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                (7, "integer"),
                (9, "date"),
                (10, "date"),
                (12, "cell_error")
            ]
        );
        // Text columns show numbers as the spreadsheet does.
        assert_eq!(Cell::Number(7.0).text(), "7");
        assert_eq!(Cell::Number(54.9885).text(), "54,9885");
        assert_eq!(Cell::Money(Money::from_kopecks(220_050)).text(), "2200,50");
    }

    #[test]
    fn an_inn_typed_as_a_number_gets_its_leading_zero_back() {
        let table = typed(vec![
            Cell::Number(274_062_111.0),
            Cell::Number(7_707_083_893.0),
            Cell::Number(50_012_345_678.0),
            Cell::Text("0274062111".into()),
        ]);
        let sheet = Sheet::new(&table, &["c"]).expect("a header");
        let inns: Vec<_> = sheet.rows().map(|mut r| r.inn("c")).collect();
        assert_eq!(
            inns,
            ["0274062111", "7707083893", "050012345678", "0274062111"]
        );
    }

    #[test]
    fn a_table_writes_the_csv_it_reads() {
        let mut table = Table::with_header(&["a", "b", "c", "d"]);
        table.push(vec![
            Cell::Text("x;y".into()),
            Cell::Money(Money::from_kopecks(150)),
            Cell::Number(54.5),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date")),
        ]);
        let csv = table.to_csv();
        assert_eq!(csv, "\u{feff}a;b;c;d\r\n\"x;y\";1,50;54,5;2026-09-01\r\n");
        let back = Table::from_csv(&csv).expect("valid CSV");
        assert_eq!(back.data_rows(), 1);
        assert_eq!(back.rows[1].1[0], Cell::Text("x;y".into()));
    }
}
