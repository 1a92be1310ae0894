//! Email as a port: the server hands letters to a [`Mailer`] and does not know how they travel.
//!
//! Production plugs in a real transport; development and tests use [`LogMailer`] (the letter goes
//! to the log with the recipient masked, since an address is personal data) or [`MemoryMailer`]
//! (letters kept in memory so a test can read the link it was sent).

use std::sync::Mutex;

use async_trait::async_trait;

/// One letter to one recipient, already rendered in the recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the letter was not sent: {0}")]
pub struct MailError(pub String);

#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, email: Email) -> Result<(), MailError>;
}

/// Writes each letter's subject to the log instead of sending it; the body may hold a secret link
/// and the address is personal data, so neither is logged whole.
#[derive(Debug, Default)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: Email) -> Result<(), MailError> {
        tracing::info!(
            to = %mask_address(&email.to),
            subject = %email.subject,
            body_chars = email.body.chars().count(),
            "email (development: logged, not sent)"
        );
        Ok(())
    }
}

/// Keeps every letter in memory, in the order sent.
#[derive(Debug, Default)]
pub struct MemoryMailer {
    sent: Mutex<Vec<Email>>,
}

impl MemoryMailer {
    /// The letters sent so far.
    pub fn sent(&self) -> Vec<Email> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

#[async_trait]
impl Mailer for MemoryMailer {
    async fn send(&self, email: Email) -> Result<(), MailError> {
        self.sent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(email);
        Ok(())
    }
}

/// `family@demo.example` → `f***@demo.example`: enough to tell letters apart in a log.
pub fn mask_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked() {
        assert_eq!(mask_address("family@demo.example"), "f***@demo.example");
        assert_eq!(mask_address("не адрес"), "***");
    }

    #[actix_web::test]
    async fn the_memory_mailer_keeps_letters_in_order() {
        let mailer = MemoryMailer::default();
        for n in 1..=2 {
            let letter = Email {
                to: format!("{n}@x.example"),
                subject: format!("#{n}"),
                body: String::new(),
            };
            mailer.send(letter).await.expect("memory never fails");
        }
        let subjects: Vec<_> = mailer.sent().into_iter().map(|e| e.subject).collect();
        assert_eq!(subjects, ["#1", "#2"]);
    }
}
