//! Registry files as XLSX workbooks, beside the CSV of `navigator_domain::import`.
//!
//! Reading gives the same [`Table`] that a CSV file gives, with the cells as Excel typed them
//! (numbers, dates, booleans, text, formula errors): the domain's getters decide what each column
//! accepts, so both formats share every rule and the same per-row report. Only the first sheet
//! is read. A workbook is a zip archive of XML: before anything is parsed, every entry is
//! unpacked once into nothing to count its real size (declared sizes can lie), so a zip bomb is
//! refused after [`Limits::unpacked_bytes`] and never reaches memory; rows and cells are counted
//! while the sheet is streamed.
//!
//! Writing puts the header in bold and freezes it, text in text cells (codes and ИНН keep their
//! leading zeros and are never turned into numbers), money as numbers with two decimals, dates as
//! dates, whole numbers and coordinates as numbers.
//!
//! This crate is apart from the domain because its readers and writers (calamine,
//! rust_xlsxwriter) can open files; here they only ever see bytes in memory.

use std::collections::BTreeMap;
use std::io::{self, Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use navigator_domain::import::{Cell, Table};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// The media type of XLSX files.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a workbook may hold before it is refused as too large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// All entries of the archive, unpacked.
    pub unpacked_bytes: u64,
    /// Rows of the first sheet, the header included, counted up to the last non-blank one.
    pub rows: u32,
    /// Columns: a non-blank cell further right is refused.
    pub columns: u32,
    /// Cells kept in memory (the non-blank cells and the blanks between them on their rows).
    pub cells: usize,
}

impl Default for Limits {
    /// Room for every registry of a region (60,000 groups, 20,000 programs with long
    /// descriptions), and no more.
    fn default() -> Limits {
        Limits {
            unpacked_bytes: 256 * 1024 * 1024,
            rows: 200_000,
            columns: 256,
            cells: 5_000_000,
        }
    }
}

/// Why a workbook was not read. Nothing of it is used.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file is not an XLSX workbook ({0})")]
    NotXlsx(String),
    #[error("the workbook is too large: {0}")]
    TooLarge(String),
}

impl ReadError {
    /// The stable code of the problem.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::NotXlsx(_) => "xlsx_unreadable",
            ReadError::TooLarge(_) => "xlsx_too_large",
        }
    }
}

fn not_xlsx(e: impl std::fmt::Display) -> ReadError {
    ReadError::NotXlsx(e.to_string())
}

/// Reads the first sheet. An empty file is an empty table (the import reports it like an empty
/// CSV file); blank rows are left out, and rows keep the numbers the spreadsheet shows.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Table, ReadError> {
    if bytes.is_empty() {
        return Ok(Table::default());
    }
    check_unpacked_size(bytes, limits.unpacked_bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Ok(Table::default());
    };
    let mut reader = workbook.worksheet_cells_reader(&first).map_err(not_xlsx)?;
    let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    let mut kept = 0usize;
    while let Some(cell) = reader.next_cell().map_err(not_xlsx)? {
        let value = cell_of(cell.get_value());
        if value.is_blank() {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= limits.rows {
            return Err(ReadError::TooLarge(format!(
                "more than {} rows: split it",
                limits.rows
            )));
        }
        if column >= limits.columns {
            return Err(ReadError::TooLarge(format!(
                "a cell beyond column {}",
                limits.columns
            )));
        }
        let cells = rows.entry(row + 1).or_default();
        let column = column as usize;
        if cells.len() <= column {
            kept += column + 1 - cells.len();
            if kept > limits.cells {
                return Err(ReadError::TooLarge(format!(
                    "more than {} cells: split it",
                    limits.cells
                )));
            }
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = value;
    }
    Ok(Table {
        rows: rows.into_iter().collect(),
    })
}

/// Unpacks every entry into nothing, counting: the archive's declared sizes are not trusted.
fn check_unpacked_size(bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let too_large = || ReadError::TooLarge(format!("it unpacks to more than {limit} bytes"));
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(not_xlsx)?;
        let room = limit - total;
        if entry.size() > room {
            return Err(too_large());
        }
        let read = io::copy(&mut entry.take(room + 1), &mut io::sink()).map_err(not_xlsx)?;
        total += read;
        if total > limit {
            return Err(too_large());
        }
    }
    Ok(())
}

fn cell_of(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Float(v) => Cell::Number(*v),
        DataRef::Int(v) => Cell::Number(*v as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(t) if t.is_datetime() => match t.as_datetime() {
            Some(t) => date_cell(t),
            None => Cell::Number(t.as_f64()),
        },
        // A duration ([h]:mm) is a number of days.
        DataRef::DateTime(t) => Cell::Number(t.as_f64()),
        DataRef::DateTimeIso(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Cell::Date)
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").map(date_cell))
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell: a date at midnight is a date; with a time of day it stays a date-time.
fn date_cell(t: NaiveDateTime) -> Cell {
    if t.time() == NaiveTime::MIN {
        Cell::Date(t.date())
    } else {
        Cell::DateTime(t)
    }
}

/// Writes the table as a workbook of one sheet named `sheet`.
pub fn write(table: &Table, sheet: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let date_time = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    let Some(((_, header), data)) = table.rows.split_first() else {
        return workbook.save_to_buffer();
    };
    for (column, name) in header.iter().enumerate() {
        let column = column_index(column)?;
        worksheet.write_string_with_format(0, column, name.text(), &bold)?;
        let width = name.text().chars().count().clamp(10, 40) + 2;
        worksheet.set_column_width(column, width as f64)?;
        // A column of text stays text for the rows a person adds: an ИНН typed there keeps its
        // leading zero.
        let all_text = !data.is_empty()
            && data.iter().all(|(_, cells)| {
                matches!(
                    cells.get(column as usize),
                    None | Some(Cell::Empty | Cell::Text(_))
                )
            });
        if all_text {
            worksheet.set_column_format(column, &text)?;
        }
    }
    for (index, (_, cells)) in data.iter().enumerate() {
        let row = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (column, cell) in cells.iter().enumerate() {
            let column = column_index(column)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) | Cell::Error(s) => {
                    worksheet.write_string_with_format(row, column, s, &text)?;
                }
                Cell::Number(v) => {
                    worksheet.write_number(row, column, *v)?;
                }
                Cell::Money(m) => {
                    let roubles = m.kopecks() as f64 / 100.0;
                    worksheet.write_number_with_format(row, column, roubles, &money)?;
                }
                // A date outside Excel's calendar (years 1900 to 9999) is written as the text
                // the CSV has, which the reader takes back as that date: every stored value
                // exports, whatever its year.
                Cell::Date(d) => match excel_date(*d) {
                    Ok(value) => {
                        worksheet.write_datetime_with_format(row, column, value, &date)?;
                    }
                    Err(_) => {
                        worksheet.write_string_with_format(row, column, d.to_string(), &text)?;
                    }
                },
                Cell::DateTime(t) => match excel_date(t.date()).and_then(|day| {
                    day.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)
                }) {
                    Ok(value) => {
                        worksheet.write_datetime_with_format(row, column, value, &date_time)?;
                    }
                    Err(_) => {
                        let value = t.format("%Y-%m-%d %H:%M:%S").to_string();
                        worksheet.write_string_with_format(row, column, value, &text)?;
                    }
                },
                Cell::Bool(b) => {
                    worksheet.write_boolean(row, column, *b)?;
                }
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

fn column_index(column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use std::io::Write;

    use navigator_domain::Money;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Excel's calendar runs from 1900 to 9999; a stored date outside it still exports, as text
    /// that reads back as the same date.
    #[test]
    fn dates_outside_excels_calendar_are_written_as_text() {
        let mut table = Table::with_header(&["начало", "окончание", "в пределах"]);
        let (ancient, far) = (date(1, 1, 1), date(10_000, 1, 1));
        table.push(vec![
            Cell::Date(ancient),
            Cell::Date(far),
            Cell::Date(date(2026, 9, 1)),
        ]);
        let bytes = write(&table, "groups").unwrap();
        let back = read(&bytes, Limits::default()).unwrap();
        let (_, cells) = &back.rows[1];
        assert_eq!(cells[0], Cell::Text(ancient.to_string()));
        assert_eq!(cells[1], Cell::Text(far.to_string()));
        assert_eq!(cells[2], Cell::Date(date(2026, 9, 1)));
    }

    #[test]
    fn a_table_reads_back_as_written() {
        let mut table = Table::with_header(&["ИНН", "цена", "начало", "мест", "широта", "да"]);
        table.push(vec![
            Cell::Text("0274062111".into()),
            Cell::Money(Money::from_kopecks(220_050)),
            Cell::Date(date(2026, 9, 1)),
            Cell::Number(12.0),
            Cell::Number(54.988_512_3),
            Cell::Text("да".into()),
        ]);
        table.push(vec![
            Cell::Text("7707083893".into()),
            Cell::Money(Money::from_kopecks(12_345)),
        ]);
        let bytes = write(&table, "programs").unwrap();
        let back = read(&bytes, Limits::default()).unwrap();
        assert_eq!(back.rows.len(), 3);
        assert_eq!(back.rows[0], table.rows[0]);
        assert_eq!(
            back.rows[1].1,
            [
                Cell::Text("0274062111".into()),
                Cell::Number(2200.5),
                Cell::Date(date(2026, 9, 1)),
                Cell::Number(12.0),
                Cell::Number(54.988_512_3),
                Cell::Text("да".into()),
            ]
        );
        assert_eq!(back.rows[2].0, 3);
        assert_eq!(back.rows[2].1[1], Cell::Number(123.45));
    }

    #[test]
    fn blank_rows_are_left_out_and_numbers_kept() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_number(4, 0, 7).unwrap();
        sheet.write_boolean(4, 2, true).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = read(&bytes, Limits::default()).unwrap();
        assert_eq!(
            table.rows,
            [
                (1, vec![Cell::Text("a".into())]),
                (5, vec![Cell::Number(7.0), Cell::Empty, Cell::Bool(true)]),
            ]
        );
    }

    #[test]
    fn what_is_not_a_workbook_is_refused() {
        for bytes in [
            &b"not a workbook"[..],
            b"PK\x03\x04garbage",
            b"\xd0\xcf\x11\xe0",
        ] {
            let error = read(bytes, Limits::default()).unwrap_err();
            assert_eq!(error.code(), "xlsx_unreadable", "{error}");
        }
        assert_eq!(read(b"", Limits::default()).unwrap(), Table::default());
        // A zip that is not a workbook.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hello").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(
            read(&bytes, Limits::default()).unwrap_err().code(),
            "xlsx_unreadable"
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_parsed() {
        // 64 MiB of one byte packs into about 64 KiB.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        let block = vec![b'a'; 1024 * 1024];
        for _ in 0..64 {
            zip.write_all(&block).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 1024 * 1024);
        let limits = Limits {
            unpacked_bytes: 16 * 1024 * 1024,
            ..Limits::default()
        };
        assert_eq!(read(&bytes, limits).unwrap_err().code(), "xlsx_too_large");
    }

    #[test]
    fn rows_and_columns_are_limited() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(1_000_000, 0, "far").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(
            read(&bytes, Limits::default()).unwrap_err().code(),
            "xlsx_too_large"
        );
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 16_000, "wide").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(
            read(&bytes, Limits::default()).unwrap_err().code(),
            "xlsx_too_large"
        );
    }
}
