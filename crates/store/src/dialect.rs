//! What differs between the two backends, kept to a handful of constants.

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }

    /// Appended to a SELECT that reads rows the transaction is about to change. PostgreSQL locks
    /// them; SQLite needs nothing because its write transactions start with `BEGIN IMMEDIATE` and
    /// so hold the database's single write lock from their first statement.
    ///
    /// `NO KEY UPDATE`, the lock of an UPDATE that keeps the key: it excludes every other writer
    /// of the row as `FOR UPDATE` does, but not the `KEY SHARE` lock that a foreign key check of
    /// another transaction's INSERT takes on the row it references. No key here is ever updated.
    /// With `FOR UPDATE` every application filed in a municipality waited for the one before to
    /// commit, through the period row its INSERTs reference (`bench/money.sh`, BENCHMARKS.md).
    pub fn for_update(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR NO KEY UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// The column that orders rows of an append-only table (ledger postings, certificate and
    /// program events) as they were written, for the table aliased `alias`: instants tie within a
    /// transaction. PostgreSQL has a `seq` column; SQLite's rowid grows the same way.
    pub fn insertion_order(self, alias: &str) -> String {
        match self {
            Backend::Postgres => format!("{alias}.seq"),
            Backend::Sqlite => format!("{alias}.rowid"),
        }
    }

    /// The statement that opens a transaction that will write.
    pub fn begin_write(self) -> &'static str {
        match self {
            Backend::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
            Backend::Sqlite => "BEGIN IMMEDIATE",
        }
    }

    /// The first instant (UTC) of the month named by the `YYYY-MM` text expression `month`, as a
    /// value comparable with a stored instant. SQLite keeps instants as RFC 3339 text, which sorts
    /// as time does, so the month's first day as text compares right.
    pub fn month_start(self, month: &str) -> String {
        match self {
            Backend::Postgres => format!("CAST({month} || '-01T00:00:00Z' AS TIMESTAMPTZ)"),
            Backend::Sqlite => format!("({month} || '-01')"),
        }
    }

    /// The UTC day of the instant expression `at`, as `YYYY-MM-DD` text.
    pub fn utc_day(self, at: &str) -> String {
        match self {
            Backend::Postgres => format!("to_char({at} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
            Backend::Sqlite => format!("substr({at}, 1, 10)"),
        }
    }
}
