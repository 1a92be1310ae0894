-- Public statistics: the population that coverage is a share of, and indexes for the counts.

-- The number of children aged 5 to 18 of a municipality in a year, as the statistics office
-- counts them, entered by an operator.
CREATE TABLE municipality_populations (
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    year            BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    children_5_18   BIGINT NOT NULL CHECK (children_5_18 > 0),
    updated_by      UUID NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (municipality_id, year)
);

-- Applications per day and the most wanted programs read a municipality's applications by time.
CREATE INDEX applications_municipality_submitted ON applications (municipality_id, submitted_at);
-- Spending reads a municipality's approved invoices by month.
CREATE INDEX invoices_municipality_month ON invoices (municipality_id, month);
