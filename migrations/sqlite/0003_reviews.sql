-- Reviews of programs: a family whose child attends or attended a program rates it from 1 to 5
-- with a text, once per child and program; the provider answers once; operators hide abusive
-- reviews and show them again, each decision kept in review_moderation_events. The same tables
-- and rules as on PostgreSQL (migrations/postgres/0003_reviews.sql), in SQLite types.
--
-- The store checks every rule first and answers with its refusal; the constraints and triggers
-- here hold the rules whatever the code does.

CREATE TABLE reviews (
    id              BLOB PRIMARY KEY,
    program_id      BLOB NOT NULL REFERENCES programs (id),
    child_id        BLOB NOT NULL REFERENCES children (id),
    author_id       BLOB NOT NULL REFERENCES users (id),
    -- How the author is shown, «Мария И.», fixed when the review is written.
    author_name     TEXT NOT NULL,
    rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    -- length() counts characters of text, as char_length() does on PostgreSQL.
    text            TEXT NOT NULL CHECK (length(text) <= 2000),
    created_at      TEXT NOT NULL,
    provider_answer TEXT CHECK (length(provider_answer) BETWEEN 1 AND 2000),
    answered_at     TEXT,
    answered_by     BLOB,
    hidden          INTEGER NOT NULL DEFAULT 0,
    -- An answer comes with its instant and its author, or not at all.
    CHECK ((provider_answer IS NULL) = (answered_at IS NULL)),
    CHECK ((provider_answer IS NULL) = (answered_by IS NULL))
);
-- Once per child and program.
CREATE UNIQUE INDEX reviews_child_program ON reviews (child_id, program_id);
-- A program's reviews newest first, and its average.
CREATE INDEX reviews_program ON reviews (program_id, created_at, id);

-- Every hide or show decision: who, when and why.
CREATE TABLE review_moderation_events (
    id         BLOB PRIMARY KEY,
    review_id  BLOB NOT NULL REFERENCES reviews (id),
    at         TEXT NOT NULL,
    hidden     INTEGER NOT NULL,
    reason     TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    actor_id   BLOB NOT NULL,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('municipal_operator', 'regional_operator'))
);
CREATE INDEX review_moderation_events_review ON review_moderation_events (review_id, at);

-- Only a family whose child has (or had) an accepted, completed or expelled application to the
-- program writes its review.
CREATE TRIGGER reviews_by_attending_families BEFORE INSERT ON reviews
WHEN NOT EXISTS (
    SELECT 1 FROM applications a JOIN children ch ON ch.id = a.child_id
    WHERE a.child_id = NEW.child_id AND a.program_id = NEW.program_id
      AND a.status IN ('accepted', 'completed', 'expelled')
      AND ch.family_id = NEW.author_id
)
BEGIN
    SELECT RAISE(ABORT, 'review_not_allowed: the child never attended the program');
END;

-- What the family wrote never changes, and the provider's answer is given once: after the insert
-- only the answer (while there is none) and the hidden flag may change.
CREATE TRIGGER reviews_written_once BEFORE UPDATE ON reviews
WHEN NEW.id IS NOT OLD.id OR NEW.program_id IS NOT OLD.program_id
  OR NEW.child_id IS NOT OLD.child_id OR NEW.author_id IS NOT OLD.author_id
  OR NEW.author_name IS NOT OLD.author_name OR NEW.rating IS NOT OLD.rating
  OR NEW.text IS NOT OLD.text OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.provider_answer IS NOT NULL
      AND (NEW.provider_answer IS NOT OLD.provider_answer
           OR NEW.answered_at IS NOT OLD.answered_at
           OR NEW.answered_by IS NOT OLD.answered_by))
BEGIN
    SELECT RAISE(ABORT, 'review_written_once: the review is not rewritten nor answered twice');
END;
