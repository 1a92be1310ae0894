//! The catalog's full-text index and distance order, written once and compiled twice like
//! `sql.rs`: `pg.rs` and `sqlite.rs` include this file next to it, each with its own `Db` and
//! `BACKEND`.
//!
//! The index holds the domain's stems of each program's title, description and provider's name
//! (`program_search`, migration 0004); a query's stems match the document stems they begin. On
//! PostgreSQL that is a `tsvector` with a GIN index and `stem:*` prefix queries, ranked by
//! `ts_rank`; on SQLite an FTS5 table over the same rows with `"stem"*` prefix queries, ranked by
//! `bm25`. Both find the same programs; their relevance scores differ in scale and detail, and
//! agree on what the API promises: a title match ranks above a description-only match.

use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_domain::geo::Point;
use navigator_domain::search;

use super::{Db, BACKEND};
use crate::{Backend, Result};

type Tx = Transaction<'static, Db>;

/// Which programs to (re)index.
#[derive(Debug, Clone, Copy)]
pub(super) enum Programs<'a> {
    /// One program, after its text changed.
    One(Uuid),
    /// Programs written by an import.
    Ids(&'a [Uuid]),
    /// A provider's programs, after its name changed.
    OfProvider(Uuid),
    /// Programs without an index row: those written before the index existed.
    Unindexed,
}

/// Writes the index rows of `which` from the programs' current text, in the caller's transaction.
pub(super) async fn index_programs(tx: &mut Tx, which: Programs<'_>) -> Result<()> {
    match which {
        Programs::One(id) => {
            index_where(tx, |qb| {
                qb.push("p.id = ").push_bind(id);
            })
            .await
        }
        // Bounded IN lists: SQLite takes a limited number of parameters per statement.
        Programs::Ids(ids) => {
            for chunk in ids.chunks(500) {
                index_where(tx, |qb| {
                    qb.push("p.id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    qb.push(")");
                })
                .await?;
            }
            Ok(())
        }
        Programs::OfProvider(id) => {
            index_where(tx, |qb| {
                qb.push("p.provider_id = ").push_bind(id);
            })
            .await
        }
        Programs::Unindexed => {
            index_where(tx, |qb| {
                qb.push("NOT EXISTS (SELECT 1 FROM program_search s WHERE s.program_id = p.id)");
            })
            .await
        }
    }
}

/// Writes the index rows of the programs that `condition` (over `p` programs) selects.
async fn index_where(
    tx: &mut Tx,
    condition: impl FnOnce(&mut QueryBuilder<'static, Db>),
) -> Result<()> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT p.id, p.title, p.description, pr.name FROM programs p \
         JOIN providers pr ON pr.id = p.provider_id WHERE ",
    );
    condition(&mut qb);
    let rows = qb.build().fetch_all(&mut **tx).await?;
    for row in rows {
        let id: Uuid = row.try_get("id")?;
        let title: String = row.try_get("title")?;
        let description: String = row.try_get("description")?;
        let provider: String = row.try_get("name")?;
        sqlx::query(
            "INSERT INTO program_search (program_id, title, description, provider) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (program_id) DO UPDATE SET \
             title = excluded.title, description = excluded.description, \
             provider = excluded.provider",
        )
        .bind(id)
        .bind(indexable(&search::document(&title)))
        .bind(indexable(&search::document(&description)))
        .bind(indexable(&search::document(&provider)))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The longest word the index keeps, in characters. No word of a program's text is this long;
/// a longer run of letters or digits (a pasted hash, «0000…») is not something to search for, and
/// PostgreSQL refuses a lexeme over 2,046 bytes outright (a Cyrillic letter takes two).
const MAX_INDEXED_WORD: usize = 200;

/// A document without the words too long to index.
fn indexable(document: &str) -> String {
    document
        .split(' ')
        .filter(|word| word.chars().count() <= MAX_INDEXED_WORD)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A query's stems as the backend's full-text query: every stem, as a prefix.
fn full_text_query(stems: &[String]) -> String {
    // Stems are letters and digits only, so quoting each is enough to keep it one term.
    match BACKEND {
        Backend::Postgres => stems
            .iter()
            .map(|s| format!("'{s}':*"))
            .collect::<Vec<_>>()
            .join(" & "),
        Backend::Sqlite => stems
            .iter()
            .map(|s| format!("\"{s}\"*"))
            .collect::<Vec<_>>()
            .join(" AND "),
    }
}

/// What a catalog query adds before its `SELECT`: the text's full-text query (PostgreSQL: `tsq`,
/// one row, and the index rows matching it as `matched`; SQLite: the programs matching it as
/// `matched`, with their `rank`, higher is better, when `ranked`), and the point to measure from as `near`. Both `None`/empty push nothing. Then
/// [`push_from`] joins them in, and [`RANK`] is the relevance.
pub(super) fn push_with(
    qb: &mut QueryBuilder<'_, Db>,
    stems: &[String],
    ranked: bool,
    near: Option<Point>,
) {
    let mut parts = Vec::new();
    if !stems.is_empty() {
        parts.push(Part::Matched);
    }
    if near.is_some() {
        parts.push(Part::Near);
    }
    for (i, part) in parts.iter().enumerate() {
        qb.push(if i == 0 { "WITH " } else { ", " });
        match part {
            Part::Matched => push_matched(qb, stems, ranked),
            Part::Near => {
                if let Some(point) = near {
                    push_near(qb, point);
                }
            }
        }
    }
    qb.push(" ");
}

enum Part {
    Matched,
    Near,
}

fn push_matched(qb: &mut QueryBuilder<'_, Db>, stems: &[String], ranked: bool) {
    let query = full_text_query(stems);
    match BACKEND {
        Backend::Postgres => {
            // The matches first, materialised: one scan of the GIN index, whose cost is the
            // region's matches (about a thousand at region scale), then the programs by key.
            // Left to itself the planner may instead walk the catalog in title order and probe
            // every program against the matches, which for a word that sorts late read most of
            // a municipality per request (1.3–1.7 s at region scale, BENCHMARKS.md). `RANK`
            // ranks the matched rows that pass the catalog's filters.
            qb.push("tsq AS (SELECT CAST(").push_bind(query).push(
                " AS tsquery) AS query), matched AS MATERIALIZED (SELECT s.program_id, \
                     s.document FROM program_search s CROSS JOIN tsq \
                     WHERE s.document @@ tsq.query)",
            );
        }
        Backend::Sqlite => {
            // Materialised, so that SQLite runs the full-text query once and joins its rows,
            // rather than probing the index once per program of the outer query. bm25 can only
            // be computed inside the full-text query, so the ranks come with the matches.
            qb.push("matched AS MATERIALIZED (SELECT s.program_id");
            if ranked {
                // bm25 is better when lower; the weights favour the title, then the description.
                qb.push(", -bm25(program_search_fts, 10.0, 3.0, 1.0) AS rank");
            }
            qb.push(
                " FROM program_search_fts JOIN program_search s \
                 ON s.docid = program_search_fts.rowid WHERE program_search_fts MATCH ",
            )
            .push_bind(query)
            .push(")");
        }
    }
}

fn push_near(qb: &mut QueryBuilder<'_, Db>, point: Point) {
    let [latitude, longitude, cos, sin, half_radian] = point.flat_terms();
    qb.push("near AS (SELECT ");
    for (i, (value, name)) in [
        (latitude, "lat"),
        (longitude, "lon"),
        (cos, "cos"),
        (sin, "sin"),
        (half_radian, "half_radian"),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            qb.push(", ");
        }
        qb.push("CAST(")
            .push_bind(value)
            .push(format!(" AS DOUBLE PRECISION) AS {name}"));
    }
    qb.push(")");
}

/// The catalog query's `FROM`: the programs (`p`) with their providers (`pr`), joined to what
/// [`push_with`] defined. With words on SQLite the matches come first, in a `CROSS JOIN`, which
/// SQLite never reorders: left to itself SQLite 3.46 walks the municipality's published programs
/// and probes the matches for each, which at region scale took 13–19 ms for the center (7,383
/// programs) against 6.5–8 ms this way for «шахматы» (989 matches in the region; BENCHMARKS.md).
/// PostgreSQL reads its materialised matches first on its own.
pub(super) fn push_from(qb: &mut QueryBuilder<'_, Db>, stems: &[String], near: Option<Point>) {
    match (BACKEND, stems.is_empty()) {
        (_, true) => {
            qb.push(" FROM programs p JOIN providers pr ON pr.id = p.provider_id");
        }
        (Backend::Postgres, false) => {
            qb.push(
                " FROM programs p JOIN providers pr ON pr.id = p.provider_id \
                 CROSS JOIN tsq JOIN matched s ON s.program_id = p.id",
            );
        }
        (Backend::Sqlite, false) => {
            qb.push(
                " FROM matched m CROSS JOIN programs p ON p.id = m.program_id \
                 JOIN providers pr ON pr.id = p.provider_id",
            );
        }
    }
    if near.is_some() {
        qb.push(" CROSS JOIN near n");
    }
}

/// The relevance sort key: on PostgreSQL `ts_rank` of the matched index row, computed for the
/// programs that pass the filters only; on SQLite the `rank` that `matched` carries.
pub(super) const RANK: &str = match BACKEND {
    Backend::Postgres => "CAST(ts_rank(s.document, tsq.query) AS DOUBLE PRECISION)",
    Backend::Sqlite => "m.rank",
};

/// The distance sort key: `Point::flat_key` from `near` to the program, in SQL arithmetic (the
/// bundled SQLite has no trigonometry); programs without coordinates after every real distance.
pub(super) fn distance_key() -> String {
    let dlat = "(p.latitude - n.lat)";
    let d = format!("({dlat} * n.half_radian)");
    let scale = format!("(n.cos - n.sin * {d} - n.cos * {d} * {d} / 2)");
    let dlon = format!("((p.longitude - n.lon) * {scale})");
    format!(
        "(CASE WHEN p.latitude IS NULL OR p.longitude IS NULL THEN CAST(1e9 AS DOUBLE PRECISION) \
         ELSE {dlat} * {dlat} + {dlon} * {dlon} END)"
    )
}
