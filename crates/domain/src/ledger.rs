//! The double-entry ledger of certificate money. Every movement is a posting whose legs add up to
//! zero, so money is never created or lost: the only way in is the municipality's funding of a
//! period, which moves money from the `budget` account (the outside world) into the period's fund.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::money::Money;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// The municipal budget's appropriation for a period (id: the period). Goes negative by what
    /// was appropriated: it stands for money from outside the system.
    Budget,
    /// What of a period's budget is not yet credited to certificates (id: the period).
    PeriodFund,
    /// A certificate's available balance (id: the certificate).
    Certificate,
    /// Money reserved for one enrollment and not yet written off (id: the application).
    Reservation,
    /// What the system owes a provider for services delivered (id: the provider).
    Provider,
    /// What a family owes for an enrollment's co-payments (id: the application). Goes negative by
    /// what is owed: the money is the family's, outside the system.
    FamilyDue,
    /// What families owe a provider in co-payments (id: the provider).
    CoPayment,
}

impl AccountKind {
    pub const ALL: [AccountKind; 7] = [
        AccountKind::Budget,
        AccountKind::PeriodFund,
        AccountKind::Certificate,
        AccountKind::Reservation,
        AccountKind::Provider,
        AccountKind::FamilyDue,
        AccountKind::CoPayment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Budget => "budget",
            AccountKind::PeriodFund => "period_fund",
            AccountKind::Certificate => "certificate",
            AccountKind::Reservation => "reservation",
            AccountKind::Provider => "provider",
            AccountKind::FamilyDue => "family_due",
            AccountKind::CoPayment => "co_payment",
        }
    }

    pub fn parse(s: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Accounts that may never go below zero: all but those that stand for money outside the
    /// system (the municipal budget, the families' own money).
    pub fn is_non_negative(self) -> bool {
        !matches!(self, AccountKind::Budget | AccountKind::FamilyDue)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Account {
    pub kind: AccountKind,
    pub id: Uuid,
}

impl Account {
    pub fn budget(period: Uuid) -> Account {
        Account {
            kind: AccountKind::Budget,
            id: period,
        }
    }
    pub fn period_fund(period: Uuid) -> Account {
        Account {
            kind: AccountKind::PeriodFund,
            id: period,
        }
    }
    pub fn certificate(certificate: Uuid) -> Account {
        Account {
            kind: AccountKind::Certificate,
            id: certificate,
        }
    }
    pub fn reservation(application: Uuid) -> Account {
        Account {
            kind: AccountKind::Reservation,
            id: application,
        }
    }
    pub fn provider(provider: Uuid) -> Account {
        Account {
            kind: AccountKind::Provider,
            id: provider,
        }
    }
    pub fn family_due(application: Uuid) -> Account {
        Account {
            kind: AccountKind::FamilyDue,
            id: application,
        }
    }
    pub fn co_payment(provider: Uuid) -> Account {
        Account {
            kind: AccountKind::CoPayment,
            id: provider,
        }
    }
}

/// What a posting does, in the family's and the operator's words.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    /// The municipality funds a period's budget.
    Funding,
    /// A certificate receives the (prorated) nominal of a period.
    Credit,
    /// Money set aside for an accepted enrollment.
    Reservation,
    /// A month of service paid to the provider out of the reservation.
    WriteOff,
    /// What was reserved and not written off goes back to the certificate.
    Release,
    /// What is left on a certificate when it closes goes back to the period's fund: certificate
    /// money is never cashed out or carried elsewhere.
    Expiry,
    /// A month's co-payment the family owes the provider, recorded on the invoice's approval.
    CoPayment,
    /// The municipality lowers a period's budget: unspent money goes back out of the period's fund.
    Defunding,
}

impl PostingKind {
    pub const ALL: [PostingKind; 8] = [
        PostingKind::Funding,
        PostingKind::Credit,
        PostingKind::Reservation,
        PostingKind::WriteOff,
        PostingKind::Release,
        PostingKind::Expiry,
        PostingKind::CoPayment,
        PostingKind::Defunding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostingKind::Funding => "funding",
            PostingKind::Credit => "credit",
            PostingKind::Reservation => "reservation",
            PostingKind::WriteOff => "write_off",
            PostingKind::Release => "release",
            PostingKind::Expiry => "expiry",
            PostingKind::CoPayment => "co_payment",
            PostingKind::Defunding => "defunding",
        }
    }

    pub fn parse(s: &str) -> Option<PostingKind> {
        PostingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One leg of a posting: `amount` is added to `account` (negative takes away).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub account: Account,
    pub amount: Money,
}

/// A balanced set of legs: the unit in which money moves. Built only by the constructors below,
/// each a transfer of a positive amount from one account to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    kind: PostingKind,
    legs: [Leg; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a posting moves a positive amount between two different accounts")]
pub struct InvalidPosting;

impl Posting {
    fn transfer(
        kind: PostingKind,
        from: Account,
        to: Account,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        if !amount.is_positive() || from == to {
            return Err(InvalidPosting);
        }
        Ok(Posting {
            kind,
            legs: [
                Leg {
                    account: from,
                    amount: -amount,
                },
                Leg {
                    account: to,
                    amount,
                },
            ],
        })
    }

    pub fn funding(period: Uuid, amount: Money) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Funding,
            Account::budget(period),
            Account::period_fund(period),
            amount,
        )
    }

    pub fn defunding(period: Uuid, amount: Money) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Defunding,
            Account::period_fund(period),
            Account::budget(period),
            amount,
        )
    }

    pub fn credit(
        period: Uuid,
        certificate: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Credit,
            Account::period_fund(period),
            Account::certificate(certificate),
            amount,
        )
    }

    pub fn reservation(
        certificate: Uuid,
        application: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Reservation,
            Account::certificate(certificate),
            Account::reservation(application),
            amount,
        )
    }

    pub fn write_off(
        application: Uuid,
        provider: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::WriteOff,
            Account::reservation(application),
            Account::provider(provider),
            amount,
        )
    }

    pub fn release(
        application: Uuid,
        certificate: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Release,
            Account::reservation(application),
            Account::certificate(certificate),
            amount,
        )
    }

    pub fn expiry(
        certificate: Uuid,
        period: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::Expiry,
            Account::certificate(certificate),
            Account::period_fund(period),
            amount,
        )
    }

    pub fn co_payment(
        application: Uuid,
        provider: Uuid,
        amount: Money,
    ) -> Result<Posting, InvalidPosting> {
        Self::transfer(
            PostingKind::CoPayment,
            Account::family_due(application),
            Account::co_payment(provider),
            amount,
        )
    }

    pub fn kind(&self) -> PostingKind {
        self.kind
    }

    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }

    /// The amount moved.
    pub fn amount(&self) -> Money {
        self.legs[1].amount
    }

    pub fn is_balanced(&self) -> bool {
        Money::sum(self.legs.iter().map(|l| l.amount)) == Some(Money::ZERO)
    }
}

/// Applies a posting to known balances, refusing one that would take a non-negative account below
/// zero. `balance_of` gives the current balance of an account.
pub fn check_postable(
    posting: &Posting,
    balance_of: impl Fn(Account) -> Money,
) -> Result<(), crate::Refusal> {
    for leg in posting.legs() {
        if leg.account.kind.is_non_negative() {
            let after = balance_of(leg.account)
                .checked_add(leg.amount)
                .ok_or(crate::Refusal::InsufficientBalance)?;
            if after.is_negative() {
                return Err(crate::Refusal::InsufficientBalance);
            }
        }
    }
    Ok(())
}

/// Where money released from an enrollment's reservation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseTarget {
    /// Back to the certificate, available for other programs.
    Certificate,
    /// Released to the certificate and expired at once to this period's fund.
    PeriodFund(Uuid),
}

/// Where a reservation's released money goes. It was reserved out of the credit of the
/// enrollment's period: while the certificate is still financed by that period (and not closed)
/// it returns to the certificate. Once the certificate has moved on (rolled over to a new period,
/// back to accounting, or closed), the old period's money may not follow it: it expires to the
/// old period's fund, as the certificate's leftovers did when it moved on. There is no carry-over.
pub fn release_target(
    enrollment_period: Option<Uuid>,
    certificate_period: Option<Uuid>,
    certificate_closed: bool,
) -> ReleaseTarget {
    match enrollment_period {
        Some(period) if certificate_closed || certificate_period != Some(period) => {
            ReleaseTarget::PeriodFund(period)
        }
        _ => ReleaseTarget::Certificate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn postings_are_balanced_transfers() {
        let p =
            Posting::reservation(Uuid::nil(), Uuid::from_u128(1), Money::from_roubles(5)).unwrap();
        assert!(p.is_balanced());
        assert_eq!(p.amount(), Money::from_roubles(5));
        assert!(Posting::reservation(Uuid::nil(), Uuid::from_u128(1), Money::ZERO).is_err());
        assert!(Posting::credit(Uuid::nil(), Uuid::from_u128(1), Money::from_kopecks(-1)).is_err());
    }

    #[test]
    fn names_round_trip() {
        for k in AccountKind::ALL {
            assert_eq!(AccountKind::parse(k.as_str()), Some(k));
        }
        for k in PostingKind::ALL {
            assert_eq!(PostingKind::parse(k.as_str()), Some(k));
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Credit(i64),
        Reserve(i64),
        WriteOff(i64),
        Release(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1i64..1_000_000).prop_map(Op::Credit),
            (1i64..1_000_000).prop_map(Op::Reserve),
            (1i64..1_000_000).prop_map(Op::WriteOff),
            (1i64..1_000_000).prop_map(Op::Release),
        ]
    }

    proptest! {
        /// Any sequence of checked postings keeps every guarded account at or above zero, and the
        /// total over all accounts at zero.
        #[test]
        fn checked_postings_never_overdraw(ops in proptest::collection::vec(op(), 1..60)) {
            let period = Uuid::from_u128(10);
            let cert = Uuid::from_u128(20);
            let app = Uuid::from_u128(30);
            let provider = Uuid::from_u128(40);
            let mut balances: HashMap<Account, Money> = HashMap::new();
            let apply = |p: Posting, balances: &mut HashMap<Account, Money>| {
                if check_postable(&p, |a| balances.get(&a).copied().unwrap_or_default()).is_ok() {
                    for leg in p.legs() {
                        let e = balances.entry(leg.account).or_default();
                        *e = e.checked_add(leg.amount).unwrap();
                    }
                }
            };
            apply(Posting::funding(period, Money::from_roubles(100_000)).unwrap(), &mut balances);
            for op in ops {
                let p = match op {
                    Op::Credit(k) => Posting::credit(period, cert, Money::from_kopecks(k)),
                    Op::Reserve(k) => Posting::reservation(cert, app, Money::from_kopecks(k)),
                    Op::WriteOff(k) => Posting::write_off(app, provider, Money::from_kopecks(k)),
                    Op::Release(k) => Posting::release(app, cert, Money::from_kopecks(k)),
                }.unwrap();
                apply(p, &mut balances);
            }
            for (account, balance) in &balances {
                if account.kind.is_non_negative() {
                    prop_assert!(!balance.is_negative(), "{account:?} went to {balance}");
                }
            }
            prop_assert_eq!(Money::sum(balances.values().copied()), Some(Money::ZERO));
        }
    }

    #[test]
    fn released_money_stays_with_the_period_that_reserved_it() {
        let (old, new) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(
            release_target(Some(old), Some(old), false),
            ReleaseTarget::Certificate
        );
        assert_eq!(
            release_target(Some(old), Some(new), false),
            ReleaseTarget::PeriodFund(old)
        );
        assert_eq!(
            release_target(Some(old), None, false),
            ReleaseTarget::PeriodFund(old)
        );
        assert_eq!(
            release_target(Some(old), Some(old), true),
            ReleaseTarget::PeriodFund(old)
        );
        // A free enrollment reserved nothing of any period.
        assert_eq!(
            release_target(None, Some(new), false),
            ReleaseTarget::Certificate
        );
    }
}
