-- Reviews of programs: a family whose child attends or attended a program rates it from 1 to 5
-- with a text, once per child and program; the provider answers once; operators hide abusive
-- reviews and show them again, each decision kept in review_moderation_events. The same tables
-- exist on SQLite (migrations/sqlite/0003_reviews.sql).
--
-- The store checks every rule first and answers with its refusal; the constraints and triggers
-- here hold the rules whatever the code does.

CREATE TABLE reviews (
    id              UUID PRIMARY KEY,
    program_id      UUID NOT NULL REFERENCES programs (id),
    child_id        UUID NOT NULL REFERENCES children (id),
    author_id       UUID NOT NULL REFERENCES users (id),
    -- How the author is shown, «Мария И.», fixed when the review is written.
    author_name     TEXT NOT NULL,
    rating          BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text            TEXT NOT NULL CHECK (char_length(text) <= 2000),
    created_at      TIMESTAMPTZ NOT NULL,
    provider_answer TEXT CHECK (char_length(provider_answer) BETWEEN 1 AND 2000),
    answered_at     TIMESTAMPTZ,
    answered_by     UUID,
    hidden          BOOLEAN NOT NULL DEFAULT FALSE,
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
    id         UUID PRIMARY KEY,
    review_id  UUID NOT NULL REFERENCES reviews (id),
    at         TIMESTAMPTZ NOT NULL,
    hidden     BOOLEAN NOT NULL,
    reason     TEXT NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    actor_id   UUID NOT NULL,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('municipal_operator', 'regional_operator'))
);
CREATE INDEX review_moderation_events_review ON review_moderation_events (review_id, at);

-- Only a family whose child has (or had) an accepted, completed or expelled application to the
-- program writes its review.
CREATE FUNCTION reviews_by_attending_families() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM applications a JOIN children ch ON ch.id = a.child_id
        WHERE a.child_id = NEW.child_id AND a.program_id = NEW.program_id
          AND a.status IN ('accepted', 'completed', 'expelled')
          AND ch.family_id = NEW.author_id
    ) THEN
        RAISE EXCEPTION 'review_not_allowed: the child % never attended the program %',
            NEW.child_id, NEW.program_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER reviews_by_attending_families BEFORE INSERT ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_by_attending_families();

-- What the family wrote never changes, and the provider's answer is given once: after the insert
-- only the answer (while there is none) and the hidden flag may change.
CREATE FUNCTION reviews_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.program_id, NEW.child_id, NEW.author_id, NEW.author_name, NEW.rating,
        NEW.text, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.program_id, OLD.child_id, OLD.author_id, OLD.author_name, OLD.rating,
        OLD.text, OLD.created_at) THEN
        RAISE EXCEPTION 'review_written_once: the review % is not rewritten', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.provider_answer IS NOT NULL
       AND (NEW.provider_answer, NEW.answered_at, NEW.answered_by)
           IS DISTINCT FROM (OLD.provider_answer, OLD.answered_at, OLD.answered_by) THEN
        RAISE EXCEPTION 'review_written_once: the review % is answered once', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER reviews_written_once BEFORE UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_written_once();
