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
    pub fn for_update(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// The column of `ledger_postings` (aliased `lp`) that orders postings as they were written:
    /// instants tie within a transaction. PostgreSQL has a sequence column; SQLite's rowid grows
    /// the same way.
    pub fn posting_order(self) -> &'static str {
        match self {
            Backend::Postgres => "lp.seq",
            Backend::Sqlite => "lp.rowid",
        }
    }

    /// The statement that opens a transaction that will write.
    pub fn begin_write(self) -> &'static str {
        match self {
            Backend::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
            Backend::Sqlite => "BEGIN IMMEDIATE",
        }
    }
}
