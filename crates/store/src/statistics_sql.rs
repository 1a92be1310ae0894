//! The SQL of [`StatisticsStore`], written once and compiled twice like `sql.rs`: `pg.rs` and
//! `sqlite.rs` include this file next to it, each with its own `Db` and `BACKEND`.
//!
//! Each answer is a handful of grouped queries over one municipality; the rows they return are
//! counts by month (at most 36) or day (at most 366), never per child.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sqlx::Row;
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::statistics::Percent;
use navigator_domain::{Money, Month};

use super::sql::{require_role, SqlStore};
use super::{Db, BACKEND};
use crate::statistics::StatisticsStore;
use crate::{Actor, Result, StoreError};

type DbRow = <Db as sqlx::Database>::Row;

/// The application statuses of a child who was enrolled: accepted and still attending, or ended.
const ENROLLED: &str = "('accepted', 'completed', 'expelled')";

fn count(row: &DbRow, column: &str) -> Result<u64> {
    let n: i64 = row.try_get(column)?;
    u64::try_from(n).map_err(|_| {
        StoreError::Database(sqlx::Error::Decode(
            format!("a negative count in {column}: {n}").into(),
        ))
    })
}

fn text_of(row: &DbRow, column: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(column)?)
}

fn direction_of(row: &DbRow, column: &str) -> Result<api::Direction> {
    let name = text_of(row, column)?;
    api::Direction::parse(&name).ok_or_else(|| {
        StoreError::Database(sqlx::Error::Decode(
            format!("unexpected direction in the database: {name:?}").into(),
        ))
    })
}

/// The first instant of a month, UTC.
fn month_start(month: Month) -> DateTime<Utc> {
    month.first_day().and_time(chrono::NaiveTime::MIN).and_utc()
}

impl SqlStore {
    async fn require_municipality(&self, municipality_id: Uuid) -> Result<()> {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM municipalities WHERE id = $1")
            .bind(municipality_id)
            .fetch_optional(self.pool())
            .await?
            .map(|_| ())
            .ok_or(StoreError::NotFound)
    }
}

fn population_from_row(row: &DbRow) -> Result<api::Population> {
    Ok(api::Population {
        municipality_id: row.try_get("municipality_id")?,
        year: i32::try_from(row.try_get::<i64, _>("year")?)
            .map_err(|_| StoreError::Database(sqlx::Error::Decode("a year out of range".into())))?,
        children_5_18: count(row, "children_5_18")?,
        updated_at: row.try_get("updated_at")?,
    })
}

#[async_trait]
impl StatisticsStore for SqlStore {
    async fn set_population(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        year: i32,
        figure: &api::SetPopulationRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Population> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "population figures are entered by operators",
        )?;
        // A municipal operator sees no other municipality: someone else's is not found.
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        self.require_municipality(municipality_id).await?;
        let children = i64::try_from(figure.children_5_18).map_err(|_| StoreError::Invalid {
            field: "children_5_18",
            code: "validation_failed",
            message: "the number of children is too large".into(),
        })?;
        let row = sqlx::query(
            "INSERT INTO municipality_populations (municipality_id, year, children_5_18, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (municipality_id, year) DO UPDATE SET \
             children_5_18 = excluded.children_5_18, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at \
             RETURNING municipality_id, year, children_5_18, updated_at",
        )
        .bind(municipality_id)
        .bind(i64::from(year))
        .bind(children)
        .bind(actor.user_id)
        .bind(now.trunc_subsecs(6))
        .fetch_one(self.pool())
        .await?;
        population_from_row(&row)
    }

    async fn populations(&self, municipality_id: Uuid) -> Result<Vec<api::Population>> {
        self.require_municipality(municipality_id).await?;
        let rows = sqlx::query(
            "SELECT municipality_id, year, children_5_18, updated_at FROM municipality_populations \
             WHERE municipality_id = $1 ORDER BY year",
        )
        .bind(municipality_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(population_from_row).collect()
    }

    async fn coverage(&self, municipality_id: Uuid, months: &[Month]) -> Result<api::Coverage> {
        self.require_municipality(municipality_id).await?;
        let populations: HashMap<i32, u64> = self
            .populations(municipality_id)
            .await?
            .into_iter()
            .map(|p| (p.year, p.children_5_18))
            .collect();
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            return Ok(api::Coverage {
                municipality_id,
                months: Vec::new(),
            });
        };

        // Children with an enrollment in the month, by direction and in all: an enrollment counts
        // in the months of its contract up to the month it ended in.
        let still_on = format!(
            "(a.ended_at IS NULL OR a.ended_at >= {})",
            BACKEND.month_start("am.month")
        );
        let by_direction_sql = format!(
            "SELECT am.month AS month, p.direction AS direction, \
                    COUNT(DISTINCT a.child_id) AS children \
             FROM application_months am \
             JOIN applications a ON a.id = am.application_id \
             JOIN programs p ON p.id = a.program_id \
             WHERE a.municipality_id = $1 AND am.month >= $2 AND am.month <= $3 \
               AND a.status IN {ENROLLED} AND {still_on} \
             GROUP BY am.month, p.direction"
        );
        let mut by_direction: HashMap<(String, api::Direction), u64> = HashMap::new();
        for row in sqlx::query(&by_direction_sql)
            .bind(municipality_id)
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all(self.pool())
            .await?
        {
            by_direction.insert(
                (text_of(&row, "month")?, direction_of(&row, "direction")?),
                count(&row, "children")?,
            );
        }
        let enrolled_sql = format!(
            "SELECT am.month AS month, COUNT(DISTINCT a.child_id) AS children \
             FROM application_months am \
             JOIN applications a ON a.id = am.application_id \
             WHERE a.municipality_id = $1 AND am.month >= $2 AND am.month <= $3 \
               AND a.status IN {ENROLLED} AND {still_on} \
             GROUP BY am.month"
        );
        let mut enrolled: HashMap<String, u64> = HashMap::new();
        for row in sqlx::query(&enrolled_sql)
            .bind(municipality_id)
            .bind(first.to_string())
            .bind(last.to_string())
            .fetch_all(self.pool())
            .await?
        {
            enrolled.insert(text_of(&row, "month")?, count(&row, "children")?);
        }

        let mut answer = Vec::with_capacity(months.len());
        for &month in months {
            // In force in the month: activated before it ended, not closed before it began.
            let holders: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM certificates c \
                 WHERE c.municipality_id = $1 AND c.activated_at IS NOT NULL \
                   AND c.activated_at < $2 \
                   AND NOT EXISTS (SELECT 1 FROM certificate_events e \
                                   WHERE e.certificate_id = c.id AND e.to_status = 'closed' \
                                     AND e.at < $3)",
            )
            .bind(municipality_id)
            .bind(month_start(month.next()))
            .bind(month_start(month))
            .fetch_one(self.pool())
            .await?;
            let holders = u64::try_from(holders).unwrap_or(0);
            let population = populations.get(&month.year()).copied();
            let share = |part: u64| population.and_then(|whole| Percent::share(part, whole));
            let key = month.to_string();
            let enrolled_children = enrolled.get(&key).copied().unwrap_or(0);
            answer.push(api::CoverageMonth {
                month,
                children_5_18: population,
                certificate_holders: holders,
                enrolled_children,
                certificate_coverage: share(holders),
                enrollment_coverage: share(enrolled_children),
                by_direction: api::Direction::ALL
                    .iter()
                    .map(|&direction| {
                        let children = by_direction
                            .get(&(key.clone(), direction))
                            .copied()
                            .unwrap_or(0);
                        api::DirectionCoverage {
                            direction,
                            enrolled_children: children,
                            coverage: share(children),
                        }
                    })
                    .collect(),
            });
        }
        Ok(api::Coverage {
            municipality_id,
            months: answer,
        })
    }

    async fn spending(&self, municipality_id: Uuid, months: &[Month]) -> Result<api::Spending> {
        self.require_municipality(municipality_id).await?;
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            return Ok(api::Spending {
                municipality_id,
                months: Vec::new(),
                certificate_amount: Money::ZERO,
                family_amount: Money::ZERO,
            });
        };
        // PostgreSQL sums BIGINT into NUMERIC: cast back, kopecks fit.
        let rows = sqlx::query(
            "SELECT i.month AS month, p.direction AS direction, COUNT(*) AS invoices, \
                    CAST(SUM(i.certificate_amount) AS BIGINT) AS certificate_amount, \
                    CAST(SUM(i.family_amount) AS BIGINT) AS family_amount \
             FROM invoices i \
             JOIN applications a ON a.id = i.application_id \
             JOIN programs p ON p.id = a.program_id \
             WHERE i.municipality_id = $1 AND i.status = 'approved' \
               AND i.month >= $2 AND i.month <= $3 \
             GROUP BY i.month, p.direction",
        )
        .bind(municipality_id)
        .bind(first.to_string())
        .bind(last.to_string())
        .fetch_all(self.pool())
        .await?;
        let mut cells: HashMap<(String, api::Direction), (u64, i64, i64)> = HashMap::new();
        for row in &rows {
            cells.insert(
                (text_of(row, "month")?, direction_of(row, "direction")?),
                (
                    count(row, "invoices")?,
                    row.try_get("certificate_amount")?,
                    row.try_get("family_amount")?,
                ),
            );
        }
        // Sums in kopecks: a municipality's year of invoices is far below i64's range.
        let mut answer = Vec::with_capacity(months.len());
        let (mut certificate_total, mut family_total) = (0_i64, 0_i64);
        for &month in months {
            let key = month.to_string();
            let mut invoices = 0;
            let (mut certificate_month, mut family_month) = (0_i64, 0_i64);
            let by_direction = api::Direction::ALL
                .iter()
                .map(|&direction| {
                    let (n, certificate, family) = cells
                        .get(&(key.clone(), direction))
                        .copied()
                        .unwrap_or((0, 0, 0));
                    invoices += n;
                    certificate_month += certificate;
                    family_month += family;
                    api::DirectionSpending {
                        direction,
                        certificate_amount: Money::from_kopecks(certificate),
                        family_amount: Money::from_kopecks(family),
                    }
                })
                .collect();
            certificate_total += certificate_month;
            family_total += family_month;
            answer.push(api::SpendingMonth {
                month,
                invoices,
                certificate_amount: Money::from_kopecks(certificate_month),
                family_amount: Money::from_kopecks(family_month),
                by_direction,
            });
        }
        Ok(api::Spending {
            municipality_id,
            months: answer,
            certificate_amount: Money::from_kopecks(certificate_total),
            family_amount: Money::from_kopecks(family_total),
        })
    }

    async fn most_wanted(
        &self,
        municipality_id: Uuid,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<api::MostWanted> {
        self.require_municipality(municipality_id).await?;
        let sql = format!(
            "SELECT p.id AS id, p.title AS title, pr.name AS provider_name, \
                    p.direction AS direction, COUNT(*) AS applications, \
                    CAST(SUM(CASE WHEN a.status IN {ENROLLED} THEN 1 ELSE 0 END) AS BIGINT) \
                        AS accepted, \
                    (SELECT CAST(COALESCE(SUM(g.capacity - g.seats_taken), 0) AS BIGINT) \
                       FROM program_groups g WHERE g.program_id = p.id AND g.open) AS seats_left \
             FROM applications a \
             JOIN programs p ON p.id = a.program_id \
             JOIN providers pr ON pr.id = p.provider_id \
             WHERE a.municipality_id = $1 AND a.submitted_at >= $2 AND p.status = 'published' \
             GROUP BY p.id, p.title, pr.name, p.direction \
             ORDER BY applications DESC, p.id \
             LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(municipality_id)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        let programs = rows
            .iter()
            .map(|row| {
                Ok(api::WantedProgram {
                    program_id: row.try_get("id")?,
                    title: text_of(row, "title")?,
                    provider_name: text_of(row, "provider_name")?,
                    direction: direction_of(row, "direction")?,
                    applications: count(row, "applications")?,
                    accepted: count(row, "accepted")?,
                    seats_left: count(row, "seats_left")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(api::MostWanted {
            municipality_id,
            since: since.date_naive(),
            programs,
        })
    }

    async fn applications_per_day(
        &self,
        municipality_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<api::ApplicationsPerDay> {
        self.require_municipality(municipality_id).await?;
        let start = from.and_time(chrono::NaiveTime::MIN).and_utc();
        let end = to
            .succ_opt()
            .unwrap_or(to)
            .and_time(chrono::NaiveTime::MIN)
            .and_utc();
        // (instant column, extra condition) for each series.
        let series = [
            ("submitted_at", String::new()),
            ("decided_at", format!(" AND status IN {ENROLLED}")),
            ("decided_at", " AND status = 'rejected'".to_owned()),
        ];
        let mut counts: [HashMap<String, u64>; 3] = Default::default();
        for ((column, condition), into) in series.iter().zip(counts.iter_mut()) {
            let sql = format!(
                "SELECT {day} AS day, COUNT(*) AS n FROM applications \
                 WHERE municipality_id = $1 AND {column} >= $2 AND {column} < $3{condition} \
                 GROUP BY {day}",
                day = BACKEND.utc_day(column),
            );
            for row in sqlx::query(&sql)
                .bind(municipality_id)
                .bind(start)
                .bind(end)
                .fetch_all(self.pool())
                .await?
            {
                into.insert(text_of(&row, "day")?, count(&row, "n")?);
            }
        }
        let [submitted, accepted, rejected] = counts;
        let days = from
            .iter_days()
            .take_while(|day| *day <= to)
            .map(|date| {
                let key = date.format("%Y-%m-%d").to_string();
                api::ApplicationDay {
                    date,
                    submitted: submitted.get(&key).copied().unwrap_or(0),
                    accepted: accepted.get(&key).copied().unwrap_or(0),
                    rejected: rejected.get(&key).copied().unwrap_or(0),
                }
            })
            .collect();
        Ok(api::ApplicationsPerDay {
            municipality_id,
            days,
        })
    }
}
