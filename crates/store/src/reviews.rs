//! Reviews of programs (оценка программ): a family whose child attends or attended a program rates
//! it from 1 to 5 with a text, once per child and program; the program shows the average and the
//! count; the provider may answer once; operators hide abusive reviews and show them again, each
//! decision recorded with who, when and why.
//!
//! The store checks every rule and the database backs the ones it can state: a unique index for
//! once per child and program, checks on the rating and the lengths, and triggers that refuse a
//! review by a family whose child never attended and a second answer.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use navigator_api_types as api;

use crate::{Actor, PageRequest, Result};

/// The reviews of programs.
#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// The family reviews a program for one of its children, who must have an accepted,
    /// completed or expelled application to it (`review_not_allowed` otherwise); once per child
    /// and program (`review_exists`). A child that is not the family's is `NotFound`.
    async fn create_review(
        &self,
        actor: &Actor,
        program_id: Uuid,
        review: &api::CreateReviewRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Review>;

    /// A program's reviews, newest first. Hidden ones are listed only for operators of the
    /// program's municipality, the regional operator, and the family that wrote them. The program
    /// must be visible to the actor, as in [`crate::Store::get_program`].
    async fn list_reviews(
        &self,
        actor: Option<&Actor>,
        program_id: Uuid,
        page: &PageRequest,
    ) -> Result<api::Page<api::Review>>;

    /// The average and count of a program's reviews that are not hidden.
    async fn program_rating(
        &self,
        actor: Option<&Actor>,
        program_id: Uuid,
    ) -> Result<api::ProgramRating>;

    /// The staff of the program's provider answer a review, once (`review_already_answered`).
    async fn answer_review(
        &self,
        actor: &Actor,
        review_id: Uuid,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Review>;

    /// An operator of the program's municipality, or the regional operator, hides a review or
    /// shows it again. Every decision is recorded, even one that confirms the current state: it
    /// is the operator's word on the review at that moment.
    async fn moderate_review(
        &self,
        actor: &Actor,
        review_id: Uuid,
        decision: &api::ReviewModeration,
        now: DateTime<Utc>,
    ) -> Result<api::Review>;

    /// The moderation decisions on a review, oldest first, for the operators who may moderate it.
    async fn review_moderation_history(
        &self,
        actor: &Actor,
        review_id: Uuid,
    ) -> Result<Vec<api::ReviewModerationEvent>>;
}

/// How a review signs its author in public: the first name and the initial of the surname,
/// «Мария И.» for «Иванова Мария Петровна». Full names are written surname first (the API's
/// convention, as in Russian documents); a single word is shown as it is, and a name of no words
/// as «Родитель» (a parent).
pub(crate) fn public_author_name(full_name: &str) -> String {
    let mut words = full_name.split_whitespace();
    match (words.next(), words.next()) {
        (Some(surname), Some(first_name)) => {
            let initial: String = surname
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .collect();
            format!("{first_name} {initial}.")
        }
        (Some(only), None) => only.to_string(),
        (None, _) => "Родитель".to_string(),
    }
}

/// A program's rating from the sum and the count of its ratings: the mean with one decimal,
/// rounded half up, in integers only. Tenths = round(10·sum / count) = ⌊(20·sum + count) /
/// (2·count)⌋.
pub(crate) fn program_rating(program_id: Uuid, sum: i64, count: i64) -> api::ProgramRating {
    let average = (count > 0).then(|| {
        let tenths = (20 * sum + count) / (2 * count);
        format!("{}.{}", tenths / 10, tenths % 10)
    });
    api::ProgramRating {
        program_id,
        average,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn average(sum: i64, count: i64) -> Option<String> {
        program_rating(Uuid::nil(), sum, count).average
    }

    #[test]
    fn the_average_has_one_decimal_rounded_half_up() {
        assert_eq!(average(0, 0), None);
        assert_eq!(average(5, 1).as_deref(), Some("5.0"));
        assert_eq!(average(9, 2).as_deref(), Some("4.5"));
        // 13 / 3 = 4.333…
        assert_eq!(average(13, 3).as_deref(), Some("4.3"));
        // 14 / 3 = 4.666…
        assert_eq!(average(14, 3).as_deref(), Some("4.7"));
        // 11 / 4 = 2.75 and 7 / 4 = 1.75: the half goes up.
        assert_eq!(average(11, 4).as_deref(), Some("2.8"));
        assert_eq!(average(7, 4).as_deref(), Some("1.8"));
        // 39 / 20 = 1.95
        assert_eq!(average(39, 20).as_deref(), Some("2.0"));
        assert_eq!(average(1, 1).as_deref(), Some("1.0"));
    }

    #[test]
    fn a_large_count_stays_exact() {
        // A million reviews, all fives but one four: 4.999999 rounds to 5.0.
        assert_eq!(average(5 * 999_999 + 4, 1_000_000).as_deref(), Some("5.0"));
        // Half fives, half fours: exactly 4.5.
        assert_eq!(average(9 * 500_000, 1_000_000).as_deref(), Some("4.5"));
    }

    #[test]
    fn the_author_is_shown_by_first_name_and_initial() {
        assert_eq!(public_author_name("Иванова Мария Петровна"), "Мария И.");
        assert_eq!(public_author_name("  петров   Пётр "), "Пётр П.");
        assert_eq!(public_author_name("Мария"), "Мария");
        assert_eq!(public_author_name("   "), "Родитель");
    }
}
