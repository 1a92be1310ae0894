//! The clients: random operations of families, provider staff and the municipal operator, and
//! the history of what each client saw.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use navigator_api_types::{ApplicationStatus, Money, Month};

use crate::http::{Api, Outcome};
use crate::world::{Application, World};

/// SplitMix64: the same choices for the same seed on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpKind {
    Apply,
    Withdraw,
    Accept,
    Reject,
    EndByFamily,
    Expel,
    Attendance,
    Invoice,
    ApproveInvoice,
    RejectInvoice,
    BillingRun,
    Suspend,
    Resume,
    Rollover,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Apply => "apply",
            OpKind::Withdraw => "withdraw",
            OpKind::Accept => "accept",
            OpKind::Reject => "reject",
            OpKind::EndByFamily => "end (family)",
            OpKind::Expel => "end (provider)",
            OpKind::Attendance => "attendance",
            OpKind::Invoice => "invoice",
            OpKind::ApproveInvoice => "approve invoice",
            OpKind::RejectInvoice => "reject invoice",
            OpKind::BillingRun => "billing run",
            OpKind::Suspend => "suspend certificate",
            OpKind::Resume => "resume certificate",
            OpKind::Rollover => "rollover",
        }
    }
}

/// How often each operation is chosen, out of the sum.
const WEIGHTS: [(OpKind, u64); 13] = [
    (OpKind::Apply, 20),
    (OpKind::Withdraw, 3),
    (OpKind::Accept, 18),
    (OpKind::Reject, 3),
    (OpKind::EndByFamily, 2),
    (OpKind::Expel, 2),
    (OpKind::Attendance, 14),
    (OpKind::Invoice, 16),
    (OpKind::ApproveInvoice, 14),
    (OpKind::RejectInvoice, 2),
    // Rare: it locks a batch of enrollments at once, against everyone else's single rows.
    (OpKind::BillingRun, 1),
    (OpKind::Suspend, 2),
    (OpKind::Resume, 3),
];

/// What an acknowledged operation promises about the final state.
#[derive(Debug, Clone)]
pub enum Effect {
    /// The application exists.
    Applied {
        application: Uuid,
    },
    /// The application reached this status (it may have moved on since, along the lifecycle).
    Status {
        application: Uuid,
        status: ApplicationStatus,
    },
    /// Rejected with exactly this reason.
    Rejected {
        application: Uuid,
        reason: String,
    },
    /// A mark for this day exists.
    Attended {
        application: Uuid,
        date: NaiveDate,
    },
    /// The invoice exists, for this enrollment and month.
    Invoiced {
        invoice: Uuid,
        application: Uuid,
        month: Month,
    },
    /// The invoice is approved and its certificate share is written off in the ledger.
    Approved {
        invoice: Uuid,
        certificate_id: Uuid,
        amount: Money,
    },
    InvoiceRejected {
        invoice: Uuid,
    },
    /// The certificate's history records this decision.
    CertificateDecision {
        certificate: Uuid,
        reason: String,
    },
}

pub struct Record {
    pub kind: OpKind,
    pub outcome: Outcome,
    pub effect: Option<Effect>,
}

struct Invoice {
    id: Uuid,
    certificate_id: Option<Uuid>,
}

/// What the clients share: the objects they know of and the history.
pub struct Shared<'w> {
    pub world: &'w World,
    pub api: Api,
    pub today: NaiveDate,
    applications: Mutex<Vec<Application>>,
    invoices: Mutex<Vec<Invoice>>,
    history: Mutex<Vec<Record>>,
    sequence: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<'w> Shared<'w> {
    pub fn new(world: &'w World, api: Api, today: NaiveDate) -> Shared<'w> {
        Shared {
            world,
            api,
            today,
            applications: Mutex::new(world.applications.clone()),
            invoices: Mutex::new(Vec::new()),
            history: Mutex::new(Vec::new()),
            sequence: AtomicU64::new(0),
        }
    }

    pub fn into_history(self) -> Vec<Record> {
        self.history.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    pub fn record(&self, kind: OpKind, outcome: Outcome, effect: Option<Effect>) {
        lock(&self.history).push(Record {
            kind,
            outcome,
            effect,
        });
    }

    /// A reason nobody else writes, to find the decision in the final state.
    fn reason(&self, what: &str) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        format!("банк-тест: {what} №{n}")
    }

    fn pick_application(&self, rng: &mut Rng, with_family: bool) -> Option<Application> {
        let apps = lock(&self.applications);
        let candidates: Vec<&Application> = apps
            .iter()
            .filter(|a| !with_family || a.family.is_some())
            .collect();
        if candidates.is_empty() {
            return None;
        }
        // Recent applications are the ones still waiting for a decision: favour them.
        let recent = candidates.len().min(40);
        let index = if rng.chance(60) {
            candidates.len() - 1 - rng.below(recent)
        } else {
            rng.below(candidates.len())
        };
        Some(candidates[index].clone())
    }

    fn set_months(&self, id: Uuid, months: Vec<Month>) {
        if let Some(a) = lock(&self.applications).iter_mut().find(|a| a.id == id) {
            a.months = months;
        }
    }

    /// One client: random operations until `until`.
    pub async fn client(&self, seed: u64, until: Instant) {
        let mut rng = Rng::new(seed);
        let total: u64 = WEIGHTS.iter().map(|(_, w)| w).sum();
        while Instant::now() < until {
            let mut roll = rng.next_u64() % total;
            let mut kind = OpKind::Apply;
            for (k, w) in WEIGHTS {
                if roll < w {
                    kind = k;
                    break;
                }
                roll -= w;
            }
            self.operate(kind, &mut rng).await;
        }
    }

    async fn operate(&self, kind: OpKind, rng: &mut Rng) {
        let world = self.world;
        match kind {
            OpKind::Apply => {
                if world.children.is_empty() || world.groups.is_empty() {
                    return;
                }
                let child = &world.children[rng.below(world.children.len())];
                let fitting: Vec<usize> = (0..world.groups.len())
                    .filter(|&g| {
                        let group = &world.groups[g];
                        group.new && (group.age_from..=group.age_to).contains(&child.age)
                    })
                    .collect();
                // Mostly groups the child may join; sometimes any, old ones included.
                let group = if !fitting.is_empty() && rng.chance(85) {
                    fitting[rng.below(fitting.len())]
                } else {
                    rng.below(world.groups.len())
                };
                let body = json!({ "child_id": child.id, "group_id": world.groups[group].id });
                let outcome = self
                    .api
                    .call(
                        &world.families[child.family],
                        Method::POST,
                        "/applications",
                        Some(&body),
                        true,
                    )
                    .await;
                let effect = match (&outcome, id_of(&outcome)) {
                    (Outcome::Ok(_), Some(id)) => {
                        lock(&self.applications).push(Application {
                            id,
                            provider: world.groups[group].provider,
                            family: Some(child.family),
                            certificate_id: child.certificate_id,
                            months: Vec::new(),
                        });
                        Some(Effect::Applied { application: id })
                    }
                    _ => None,
                };
                self.record(kind, outcome, effect);
            }
            OpKind::Withdraw | OpKind::EndByFamily => {
                let Some(app) = self.pick_application(rng, true) else {
                    return;
                };
                let Some(family) = app.family else { return };
                let (path, body) = if kind == OpKind::Withdraw {
                    (format!("/applications/{}/withdraw", app.id), None)
                } else {
                    (
                        format!("/applications/{}/end", app.id),
                        Some(json!({ "end_reason": "family_request" })),
                    )
                };
                let outcome = self
                    .api
                    .call(
                        &world.families[family],
                        Method::POST,
                        &path,
                        body.as_ref(),
                        true,
                    )
                    .await;
                let effect = status_effect(&outcome, app.id);
                self.record(kind, outcome, effect);
            }
            OpKind::Accept | OpKind::Reject | OpKind::Expel => {
                let Some(app) = self.pick_application(rng, false) else {
                    return;
                };
                let staff = &world.providers[app.provider].staff;
                let reason = self.reason("решение поставщика");
                let (path, body) = match kind {
                    OpKind::Accept => (format!("/applications/{}/accept", app.id), None),
                    OpKind::Reject => (
                        format!("/applications/{}/reject", app.id),
                        Some(json!({ "reason": reason })),
                    ),
                    _ => (
                        format!("/applications/{}/end", app.id),
                        Some(json!({ "end_reason": "provider_decision", "comment": reason })),
                    ),
                };
                let outcome = self
                    .api
                    .call(staff, Method::POST, &path, body.as_ref(), true)
                    .await;
                let effect = match (&outcome, kind) {
                    (Outcome::Ok(_), OpKind::Reject) => Some(Effect::Rejected {
                        application: app.id,
                        reason,
                    }),
                    (Outcome::Ok(value), OpKind::Accept) => {
                        self.set_months(app.id, months_of(value));
                        status_effect(&outcome, app.id)
                    }
                    _ => status_effect(&outcome, app.id),
                };
                self.record(kind, outcome, effect);
            }
            OpKind::Attendance => {
                let Some(app) = self.pick_application(rng, false) else {
                    return;
                };
                let Some(date) = self.lesson_day(&app, rng) else {
                    return;
                };
                let body = json!({ "date": date, "present": rng.chance(85) });
                let outcome = self
                    .api
                    .call(
                        &world.providers[app.provider].staff,
                        Method::POST,
                        &format!("/applications/{}/attendance", app.id),
                        Some(&body),
                        false,
                    )
                    .await;
                let effect = matches!(outcome, Outcome::Ok(_)).then_some(Effect::Attended {
                    application: app.id,
                    date,
                });
                self.record(kind, outcome, effect);
            }
            OpKind::Invoice => {
                let Some(app) = self.pick_application(rng, false) else {
                    return;
                };
                let current = Month::of(self.today);
                let months: Vec<Month> = app
                    .months
                    .iter()
                    .copied()
                    .filter(|m| *m <= current)
                    .collect();
                if months.is_empty() {
                    return;
                }
                let month = months[rng.below(months.len())];
                let mut body = json!({ "application_id": app.id, "month": month });
                if rng.chance(50) {
                    body["no_attendance_reason"] = json!("болел, справка");
                }
                let outcome = self
                    .api
                    .call(
                        &world.providers[app.provider].staff,
                        Method::POST,
                        "/invoices",
                        Some(&body),
                        true,
                    )
                    .await;
                let effect = match id_of(&outcome) {
                    Some(id) if matches!(outcome, Outcome::Ok(_)) => {
                        lock(&self.invoices).push(Invoice {
                            id,
                            certificate_id: app.certificate_id,
                        });
                        Some(Effect::Invoiced {
                            invoice: id,
                            application: app.id,
                            month,
                        })
                    }
                    _ => None,
                };
                self.record(kind, outcome, effect);
            }
            OpKind::ApproveInvoice | OpKind::RejectInvoice => {
                let (id, certificate_id) = {
                    let invoices = lock(&self.invoices);
                    if invoices.is_empty() {
                        return;
                    }
                    let recent = invoices.len().min(30);
                    let invoice = &invoices[invoices.len() - 1 - rng.below(recent)];
                    (invoice.id, invoice.certificate_id)
                };
                let reason = self.reason("счёт отклонён");
                let (path, body) = if kind == OpKind::ApproveInvoice {
                    (format!("/invoices/{id}/approve"), None)
                } else {
                    (
                        format!("/invoices/{id}/reject"),
                        Some(json!({ "reason": reason })),
                    )
                };
                let outcome = self
                    .api
                    .call(&world.operator, Method::POST, &path, body.as_ref(), true)
                    .await;
                let effect = match &outcome {
                    Outcome::Ok(value) if kind == OpKind::ApproveInvoice => {
                        let amount = value["certificate_amount"]
                            .as_str()
                            .and_then(|s| s.parse::<Money>().ok());
                        match (amount, certificate_id) {
                            (Some(amount), Some(certificate_id)) => Some(Effect::Approved {
                                invoice: id,
                                certificate_id,
                                amount,
                            }),
                            _ => None,
                        }
                    }
                    Outcome::Ok(_) => Some(Effect::InvoiceRejected { invoice: id }),
                    _ => None,
                };
                self.record(kind, outcome, effect);
            }
            OpKind::BillingRun => {
                // The current month or the one before, issuing only or approving too. Its
                // invoices are not tracked one by one: the final check's invariants (every
                // approved invoice written off once, the ledger) cover what it wrote.
                let current = Month::of(self.today);
                let month = match current.first_day().pred_opt() {
                    Some(last_of_previous) if rng.chance(50) => Month::of(last_of_previous),
                    _ => current,
                };
                let body = json!({ "month": month, "approve": rng.chance(50) });
                let outcome = self
                    .api
                    .call(
                        &world.operator,
                        Method::POST,
                        &format!("/municipalities/{}/billing-runs", world.municipality),
                        Some(&body),
                        true,
                    )
                    .await;
                self.record(kind, outcome, None);
            }
            OpKind::Suspend | OpKind::Resume => {
                let with_certificate: Vec<Uuid> = world
                    .children
                    .iter()
                    .filter_map(|c| c.certificate_id)
                    .collect();
                if with_certificate.is_empty() {
                    return;
                }
                let certificate = with_certificate[rng.below(with_certificate.len())];
                let reason = self.reason(if kind == OpKind::Suspend {
                    "приостановлен"
                } else {
                    "возобновлён"
                });
                let action = if kind == OpKind::Suspend {
                    "suspend"
                } else {
                    "resume"
                };
                let outcome = self
                    .api
                    .call(
                        &world.operator,
                        Method::POST,
                        &format!("/certificates/{certificate}/{action}"),
                        Some(&json!({ "reason": reason })),
                        false,
                    )
                    .await;
                let effect =
                    matches!(outcome, Outcome::Ok(_)).then_some(Effect::CertificateDecision {
                        certificate,
                        reason,
                    });
                self.record(kind, outcome, effect);
            }
            OpKind::Rollover => {
                let outcome = self.rollover().await;
                self.record(kind, outcome, None);
            }
        }
    }

    /// The operator's rollover of the municipality to the period open today.
    pub async fn rollover(&self) -> Outcome {
        self.api
            .call(
                &self.world.operator,
                Method::POST,
                &format!("/municipalities/{}/rollovers", self.world.municipality),
                None,
                true,
            )
            .await
    }

    /// A day of the enrollment's contract up to today (a new enrollment without a contract yet:
    /// a recent day).
    fn lesson_day(&self, app: &Application, rng: &mut Rng) -> Option<NaiveDate> {
        let current = Month::of(self.today);
        let months: Vec<Month> = app
            .months
            .iter()
            .copied()
            .filter(|m| *m <= current)
            .collect();
        let month = if months.is_empty() {
            current
        } else {
            months[rng.below(months.len())]
        };
        let last = if month == current {
            self.today.day()
        } else {
            month.last_day().day()
        };
        month
            .first_day()
            .with_day(1 + rng.below(last as usize) as u32)
    }
}

fn id_of(outcome: &Outcome) -> Option<Uuid> {
    match outcome {
        Outcome::Ok(value) => value["id"].as_str()?.parse().ok(),
        _ => None,
    }
}

fn months_of(value: &Value) -> Vec<Month> {
    value["months"]
        .as_array()
        .map(|months| {
            months
                .iter()
                .filter_map(|m| m["month"].as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The status an answered application operation reports.
fn status_effect(outcome: &Outcome, application: Uuid) -> Option<Effect> {
    match outcome {
        Outcome::Ok(value) => {
            let status = value["status"].as_str()?.parse().ok()?;
            Some(Effect::Status {
                application,
                status,
            })
        }
        _ => None,
    }
}

/// Operations by kind and outcome: `ok`, the refusal's code, or `unknown`.
pub fn tally(history: &[Record]) -> BTreeMap<OpKind, BTreeMap<String, u64>> {
    let mut table: BTreeMap<OpKind, BTreeMap<String, u64>> = BTreeMap::new();
    for r in history {
        let outcome = match &r.outcome {
            Outcome::Ok(_) => "ok".to_owned(),
            Outcome::Refused(code) => code.clone(),
            Outcome::Unknown(_) => "unknown".to_owned(),
        };
        *table.entry(r.kind).or_default().entry(outcome).or_default() += 1;
    }
    table
}
