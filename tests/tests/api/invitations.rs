//! Invitations of providers' staff: the letter with a single-use link, the pending list, the
//! acceptance that creates the account and signs in, and the tokens that no longer work.

use chrono::{Duration, Utc};
use navigator_api_types::{
    AcceptInvitationRequest, CreateInvitationRequest, Invitation, Role, Tokens,
};
use navigator_server::auth::hash_refresh_token;
use navigator_store::{Actor, NewInvitation};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    staff_invite_a_colleague_who_accepts_once,
    unknown_and_expired_invitations_are_refused,
);

fn accept(token: &str, password: &str) -> AcceptInvitationRequest {
    AcceptInvitationRequest {
        token: token.into(),
        password: password.into(),
    }
}

async fn staff_invite_a_colleague_who_accepts_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let path = format!("/providers/{}/invitations", town.provider.id);
    let email = format!("teacher-{}@ddt.example", uuid::Uuid::new_v4().simple());
    let invitation: Invitation = app
        .post(&path)
        .token(&town.staff.token)
        .json(&CreateInvitationRequest {
            email: email.clone(),
            full_name: "Петрова Анна Сергеевна".into(),
        })
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(invitation.provider_id, town.provider.id);
    assert_eq!(
        invitation.expires_at - invitation.created_at,
        Duration::hours(72)
    );

    let letters = app.letters();
    let letter = letters
        .iter()
        .find(|l| l.to == email)
        .expect("the invitation letter");
    assert!(
        letter.subject.contains(&town.provider.name),
        "{}",
        letter.subject
    );
    let link = letter
        .body
        .split_whitespace()
        .find(|w| w.contains("/invitation#"))
        .expect("a link in the letter");
    let token = link.split_once('#').map(|(_, t)| t).expect("a token");
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");

    // Pending: seen by the provider's operator, not by others.
    let pending: Vec<Invitation> = app
        .get(&path)
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(pending, std::slice::from_ref(&invitation));
    app.get(&path)
        .token(&town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let family = app.register_family().await;
    app.post(&path)
        .token(&family.token)
        .json(&CreateInvitationRequest {
            email: "x@y.example".into(),
            full_name: "Никто Никто".into(),
        })
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");

    // The password policy of registration.
    app.post("/invitations/accept")
        .json(&accept(token, "short"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let signed_in: Tokens = app
        .post("/invitations/accept")
        .json(&accept(token, "a long enough password"))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(signed_in.user.role, Role::ProviderStaff);
    assert_eq!(signed_in.user.provider_id, Some(town.provider.id));
    assert_eq!(signed_in.user.email, email);
    // The new account signs in with its password and keeps its provider's registry.
    let token_again = app.login(&email, "a long enough password").await;
    app.get(&format!("/providers/{}/events", town.provider.id))
        .token(&token_again)
        .send()
        .await
        .assert_status(StatusCode::OK);

    // Used once: no longer pending, and refused a second time.
    let pending: Vec<Invitation> = app
        .get(&path)
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(pending.is_empty());
    app.post("/invitations/accept")
        .json(&accept(token, "another long password"))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "invitation_used");
}

async fn unknown_and_expired_invitations_are_refused(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    app.post("/invitations/accept")
        .json(&accept("no-such-token", "a long enough password"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "invitation_unknown");

    let operator = Actor {
        user_id: town.operator.user.id,
        role: Role::MunicipalOperator,
        provider_id: None,
        municipality_id: Some(town.municipality.id),
    };
    let token = "an-invitation-sent-four-days-ago";
    app.store()
        .create_invitation(
            &operator,
            town.provider.id,
            NewInvitation {
                email: "late@ddt.example".into(),
                full_name: "Опоздавший Пётр".into(),
                token_hash: hash_refresh_token(token),
            },
            Utc::now() - Duration::hours(73),
        )
        .await
        .expect("an old invitation");
    app.post("/invitations/accept")
        .json(&accept(token, "a long enough password"))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "invitation_expired");
    let pending: Vec<Invitation> = app
        .get(&format!("/providers/{}/invitations", town.provider.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(pending.is_empty());
}
