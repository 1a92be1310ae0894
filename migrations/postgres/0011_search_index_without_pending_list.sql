-- The catalog's full-text index without GIN's pending list.
--
-- With `fastupdate` (PostgreSQL's default) new index entries go to an unsorted pending list that
-- every search scans in full, until VACUUM, autovacuum's ANALYZE or the list's size limit (4 MB)
-- moves them into the index. After a registry import or a generated region that is thousands of
-- programs: the catalog's word search ran at half its rate (BENCHMARKS.md, issue #4) until
-- autovacuum came by. Programs are written far less often than searched, so each write updates
-- the index itself, and the entries pending now are moved in once.
ALTER INDEX program_search_document SET (fastupdate = off);
SELECT gin_clean_pending_list('program_search_document');
