-- The batch runs (the monthly billing run by enrollment, the rollover by certificate) walk one
-- municipality's rows of one status in id order, a batch after the last id of the one before.
-- With the indexes on (municipality_id, status) alone every batch read all of the
-- municipality's rows of that status and sorted them to take the next few hundred: quadratic in
-- the municipality's size (the center of a region has 240,000 enrollments). With the id in the
-- index a batch is a range of it. The new indexes serve every query of the old ones.
CREATE INDEX applications_municipality_status_id ON applications (municipality_id, status, id);
DROP INDEX applications_municipality;
CREATE INDEX certificates_municipality_status_id ON certificates (municipality_id, status, id);
DROP INDEX certificates_municipality;
