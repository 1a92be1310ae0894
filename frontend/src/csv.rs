//! Tables as CSV files, made in the browser: what an operator sees is what Excel opens.
//!
//! Excel reads a CSV in the conventions of the computer's locale and in the ANSI code page unless
//! the file starts with a UTF-8 byte order mark: so the file has the mark (Cyrillic survives), and
//! in Russian the separator is `;` and the decimal mark `,`, as Russian Excel expects; in English
//! `,` and `.`.

use std::time::Duration;

use leptos::prelude::*;
use navigator_api_types::Money;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::{lang, Lang};

/// The UTF-8 byte order mark, as the first character of the file.
const BOM: char = '\u{feff}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    separator: char,
    decimal: char,
}

impl Dialect {
    pub fn of(lang: Lang) -> Dialect {
        match lang {
            Lang::Ru => Dialect {
                separator: ';',
                decimal: ',',
            },
            Lang::En => Dialect {
                separator: ',',
                decimal: '.',
            },
        }
    }

    pub fn current() -> Dialect {
        Dialect::of(lang())
    }

    /// An amount as a number Excel adds up: `12500,00`, no currency, no grouping.
    pub fn money(self, amount: Money) -> String {
        self.decimal(&amount.to_string())
    }

    /// A decimal of the API (`12.34`) as a number Excel reads: `12,34` in Russian.
    pub fn decimal(self, value: &str) -> String {
        value.replace('.', &self.decimal.to_string())
    }

    /// The file: the header row, then the rows, CRLF line ends (RFC 4180), the mark first.
    pub fn file(self, header: &[&str], rows: &[Vec<String>]) -> String {
        let mut out = String::new();
        out.push(BOM);
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        for row in std::iter::once(&header).chain(rows) {
            let cells: Vec<String> = row.iter().map(|cell| self.quoted(cell)).collect();
            out.push_str(&cells.join(&self.separator.to_string()));
            out.push_str("\r\n");
        }
        out
    }

    /// A cell in quotes when it holds the separator, a quote or a line break; quotes doubled.
    fn quoted(self, cell: &str) -> String {
        if cell.contains([self.separator, '"', '\n', '\r']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell.to_owned()
        }
    }
}

/// Hands `content` to the browser as a download named `file_name`.
pub fn download(file_name: &str, content: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The download reads the blob after this click returns: free it a moment later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(10),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_files_open_in_russian_excel() {
        let csv = Dialect::of(Lang::Ru).file(
            &["Месяц", "Списано, ₽"],
            &[
                vec![
                    "ноябрь 2026".into(),
                    Dialect::of(Lang::Ru).money(Money::from_kopecks(1_250_050)),
                ],
                vec!["«Ладья»; шахматы".into(), "0,00".into()],
            ],
        );
        assert_eq!(
            csv,
            "\u{feff}Месяц;Списано, ₽\r\nноябрь 2026;12500,50\r\n\"«Ладья»; шахматы\";0,00\r\n"
        );
        assert!(csv.as_bytes().starts_with(&[0xef, 0xbb, 0xbf]));
    }

    #[test]
    fn english_files_use_commas_and_points() {
        let en = Dialect::of(Lang::En);
        let csv = en.file(
            &["Day", "Applications"],
            &[vec!["2026-11-02".into(), "3".into()]],
        );
        assert_eq!(csv, "\u{feff}Day,Applications\r\n2026-11-02,3\r\n");
        assert_eq!(en.money(Money::from_kopecks(-5)), "-0.05");
        assert_eq!(en.quoted("say \"hi\", twice"), "\"say \"\"hi\"\", twice\"");
    }
}
