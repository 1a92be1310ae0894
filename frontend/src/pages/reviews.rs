//! Reviews on a program's page: the average and the count, the reviews with the provider's
//! answers; a family whose child attends or attended writes one; the provider's staff answer;
//! operators hide a review or show it again, saying why.

use leptos::prelude::*;
use navigator_api_types::{
    CreateReviewRequest, Review, ReviewAnswerRequest, ReviewModeration, Role,
};
use uuid::Uuid;

use crate::access::OPERATORS;
use crate::api::{self, ApiError};
use crate::format::instant;
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::lists::{Pager, ReasonForm};
use crate::session::use_session;

/// The longest review the server takes.
const MAX_TEXT: u32 = 2000;

#[component]
pub fn ReviewsSection(
    program_id: Uuid,
    provider_id: Uuid,
    /// The program's mean rating with one decimal (`"4.5"`), `None` before the first review.
    rating: Option<String>,
    reviews_count: i64,
) -> impl IntoView {
    let session = use_session();
    let cursor = RwSignal::new(None::<String>);
    let reviews =
        LocalResource::new(move || api::program_reviews(session, program_id, cursor.get()));
    let changed = Callback::new(move |()| reviews.refetch());
    let role = Memo::new(move |_| session.user().map(|user| (user.role, user.provider_id)));
    let summary = match rating {
        Some(average) => i18n::rating_summary(&i18n::decimal(&average), reviews_count),
        None => t(Key::NoReviewsYet).to_owned(),
    };
    view! {
        <section class="reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title">{t(Key::Reviews)}</h2>
            <p class="rating-summary" data-testid="rating-summary">{summary}</p>
            {move || match role.get() {
                Some((Role::Family, _)) => Some(view! { <WriteReview program_id on_written=changed/> }),
                _ => None,
            }}
            {move || match reviews.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => ().into_any(),
                Some(Ok(page)) => {
                    let (viewer, viewer_provider) = role.get_untracked().unzip();
                    let answers = viewer == Some(Role::ProviderStaff)
                        && viewer_provider.flatten() == Some(provider_id);
                    let moderates = viewer.is_some_and(|r| OPERATORS.contains(&r));
                    view! {
                        <ul class="review-list">
                            {page
                                .items
                                .into_iter()
                                .map(|review| view! { <ReviewItem review answers moderates on_changed=changed/> })
                                .collect_view()}
                        </ul>
                        <Pager cursor next=page.next_cursor/>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Stars for the eye; the words say the same for a screen reader.
fn stars(rating: u8) -> String {
    let filled = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

#[component]
fn ReviewItem(
    review: Review,
    answers: bool,
    moderates: bool,
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let id = review.id;
    let hidden = review.hidden;
    let answer = Action::new_local(move |text: &String| {
        let request = ReviewAnswerRequest { text: text.clone() };
        async move {
            api::answer_review(session, id, &request).await?;
            on_changed.run(());
            Ok::<(), ApiError>(())
        }
    });
    let moderate = Action::new_local(move |reason: &String| {
        let request = ReviewModeration {
            hidden: !hidden,
            reason: reason.clone(),
        };
        async move {
            api::moderate_review(session, id, &request).await?;
            on_changed.run(());
            Ok::<(), ApiError>(())
        }
    });
    let error = move || {
        answer
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| moderate.value().get().and_then(Result::err))
    };
    let moderating = RwSignal::new(false);
    let can_answer = answers && review.provider_answer.is_none();
    view! {
        <li class="card review" class:review-hidden=hidden>
            <div class="card-head">
                <p class="review-author"><strong>{review.author_name.clone()}</strong></p>
                <p class="stars" role="img" aria-label=i18n::rating_of_five(review.rating)>
                    <span aria-hidden="true">{stars(review.rating)}</span>
                </p>
            </div>
            <p class="muted">{instant(review.created_at)}</p>
            {hidden.then(|| view! { <p><span class="badge badge-bad">{t(Key::ReviewHidden)}</span></p> })}
            {(!review.text.is_empty()).then(|| view! { <p class="review-text">{review.text.clone()}</p> })}
            {review.provider_answer.clone().map(|text| view! {
                <div class="provider-answer">
                    <p class="label"><strong>{t(Key::ProviderAnswer)}</strong></p>
                    <p>{text}</p>
                </div>
            })}
            {move || error().map(|e| view! { <Alert message=e.message()/> })}
            {can_answer.then(|| view! {
                <ReasonForm
                    id=format!("answer-{id}")
                    label=t(Key::YourAnswer)
                    submit_label=t(Key::SendAnswer)
                    pending=answer.pending()
                    on_submit=Callback::new(move |text: String| {
                        answer.dispatch(text);
                    })
                />
            })}
            {moderates.then(|| view! {
                <div class="actions">
                    <button
                        type="button"
                        class="button secondary"
                        aria-expanded=move || moderating.get().to_string()
                        on:click=move |_| moderating.update(|open| *open = !*open)
                    >
                        {if hidden { t(Key::ShowReview) } else { t(Key::HideReview) }}
                    </button>
                </div>
                {move || moderating.get().then(|| view! {
                    <ReasonForm
                        id=format!("moderate-{id}")
                        label=t(Key::ModerationReason)
                        submit_label=if hidden { t(Key::ShowReview) } else { t(Key::HideReview) }
                        danger=!hidden
                        pending=moderate.pending()
                        on_submit=Callback::new(move |reason: String| {
                            moderate.dispatch(reason);
                        })
                    />
                })}
            })}
        </li>
    }
}

/// The five choices of the rating, as radio buttons.
fn star_choices(rating: RwSignal<Option<u8>>) -> impl IntoView {
    (1..=5u8)
        .map(|value| {
            let input_id = format!("review-rating-{value}");
            let label_for = input_id.clone();
            view! {
                <span class="star-choice">
                    <input
                        type="radio"
                        id=input_id
                        name="review-rating"
                        value=value.to_string()
                        required
                        prop:checked=move || rating.get() == Some(value)
                        on:change=move |_| rating.set(Some(value))
                    />
                    <label for=label_for>
                        <span aria-hidden="true">{stars(value)}</span>
                        <span class="star-words">{i18n::rating_word(value)}</span>
                    </label>
                </span>
            }
        })
        .collect_view()
}

/// A family's review: which child, 1 to 5 stars as a radio group, and words.
#[component]
fn WriteReview(program_id: Uuid, on_written: Callback<()>) -> impl IntoView {
    let session = use_session();
    let children = LocalResource::new(move || api::children(session));
    let child_id = RwSignal::new(None::<Uuid>);
    let rating = RwSignal::new(None::<u8>);
    let text = RwSignal::new(String::new());
    let missing_rating = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok([only])) = children.get().as_ref().map(|r| r.as_deref()) {
            if child_id.get_untracked().is_none() {
                child_id.set(Some(only.id));
            }
        }
    });
    let write = Action::new_local(move |request: &CreateReviewRequest| {
        let request = request.clone();
        async move {
            let review = api::create_review(session, program_id, &request).await?;
            on_written.run(());
            Ok::<Review, ApiError>(review)
        }
    });
    let written = move || write.value().get().and_then(Result::ok).is_some();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(child_id), Some(rating)) = (child_id.get_untracked(), rating.get_untracked())
        else {
            missing_rating.set(rating.get_untracked().is_none());
            return;
        };
        missing_rating.set(false);
        if !write.pending().get_untracked() {
            write.dispatch(CreateReviewRequest {
                child_id,
                rating,
                text: text.get_untracked().trim().to_owned(),
            });
        }
    };
    let child_options = move || {
        children
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|child| {
                let id = child.id;
                view! {
                    <option value=id.to_string() prop:selected=move || child_id.get() == Some(id)>
                        {format!("{} {}", child.first_name, child.last_name)}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="card write-review">
            {move || if written() {
                view! { <p class="notice" role="status">{t(Key::ReviewThanks)}</p> }.into_any()
            } else {
                view! {
                    <form on:submit=on_submit novalidate>
                        <h3>{t(Key::WriteReview)}</h3>
                        <p class="hint">{t(Key::WriteReviewHint)}</p>
                        {move || write.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
                        <div class="field">
                            <label for="review-child">{t(Key::Child)}</label>
                            <select
                                id="review-child"
                                on:change=move |ev| child_id.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                            >
                                <option value="" prop:selected=move || child_id.get().is_none()>{t(Key::ChooseChild)}</option>
                                {child_options}
                            </select>
                        </div>
                        <fieldset class="radio-group stars-group" class:has-error=move || missing_rating.get()>
                            <legend>{t(Key::YourRating)}</legend>
                            {star_choices(rating)}
                            {move || missing_rating.get().then(|| view! {
                                <p class="field-error">{t(Key::ChooseRating)}</p>
                            })}
                        </fieldset>
                        <div class="field">
                            <label for="review-text">{t(Key::ReviewText)}</label>
                            <textarea
                                id="review-text"
                                rows="4"
                                maxlength=MAX_TEXT.to_string()
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                        </div>
                        <button type="submit" class="button" disabled=move || write.pending().get()>
                            {t(Key::PublishReview)}
                        </button>
                    </form>
                }
                .into_any()
            }}
        </div>
    }
}
