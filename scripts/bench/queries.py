"""The hand-written SQL of each benchmark scenario: the best form of the page the API serves.

Claim pages pick their 51 ids first (50 and one to tell whether a next page
exists) from an index that is already in the page's order: for an expert
filter, one LATERAL index scan per matching expert on (expert, sort_date DESC,
id DESC); then they join only those rows, with no article body and no COUNT.
"""

from __future__ import annotations

# The columns a claim in a list carries, joined for the page's ids only.
CLAIM_PAGE = """
SELECT c.id, c.text, c.quote_type, c.kind, c.status, c.cue, c.speaker_mention, c.start, c."end",
       c.confidence, c.reviewed_at, c.created_at, c.updated_at, c.version,
       e.id, e.name, e.slug,
       af.id, af.role, af.is_former, o.id, o.name, o.acronym,
       a.id, a.title, a.published_on, a.url, ou.name,
       ARRAY(SELECT t.slug FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
             WHERE ct.claim_id = c.id ORDER BY t.name, t.id) AS topics
FROM page
JOIN claims_claim c ON c.id = page.id
LEFT JOIN claims_expert e ON e.id = c.expert_id
LEFT JOIN claims_affiliation af ON af.id = c.affiliation_id
LEFT JOIN claims_organization o ON o.id = af.organization_id
JOIN claims_article a ON a.id = c.article_id
LEFT JOIN claims_outlet ou ON ou.id = a.outlet_id
ORDER BY {order}
"""

# %(pattern)s is a LIKE pattern on normalized aliases ('%lankov%').
EXPERT_CLAIMS = """
WITH page AS (
  SELECT p.id, p.sort_date
  FROM (SELECT DISTINCT expert_id FROM claims_alias WHERE match_key LIKE %(pattern)s) AS x
  CROSS JOIN LATERAL (
    SELECT c.id, c.sort_date FROM claims_claim c
    WHERE c.expert_id = x.expert_id AND c.status = 'approved' {after}
    ORDER BY c.sort_date DESC, c.id DESC LIMIT 51
  ) AS p
  ORDER BY p.sort_date DESC, p.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.sort_date DESC, page.id DESC")

EXPERT_CLAIMS_FIRST = EXPERT_CLAIMS.format(after="")
# Keyset: rows strictly after (sort_date, id) = (%(date)s, %(id)s) in descending order.
EXPERT_CLAIMS_AFTER = EXPERT_CLAIMS.format(after="AND (c.sort_date, c.id) < (%(date)s, %(id)s)")

ALL_CLAIMS = """
WITH page AS (
  SELECT c.id, c.sort_date FROM claims_claim c WHERE c.status = 'approved'
  ORDER BY c.sort_date DESC, c.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.sort_date DESC, page.id DESC")

# The approved claims' vectors are in claims_public_claim_search (id, vector; kept by triggers): the ranking
# reads that narrow table alone, and the query is parsed once (a function scan).
SEARCH_CLAIMS = """
WITH page AS (
  SELECT s.id, ts_rank(s.text_search, q.query) AS rank
  FROM claims_public_claim_search s, websearch_to_tsquery('english'::regconfig, %(q)s) AS q(query)
  WHERE s.text_search @@ q.query
  ORDER BY rank DESC, s.id DESC LIMIT 51
)""" + CLAIM_PAGE.format(order="page.rank DESC, page.id DESC")

EXPERTS_BY_NAME = """
WITH page AS (
  SELECT e.id, e.sort_name FROM claims_expert e
  WHERE e.id IN (SELECT expert_id FROM claims_alias WHERE match_key LIKE %(pattern)s)
  ORDER BY e.sort_name, e.id LIMIT 51
)
SELECT e.id, e.name, e.sort_name, e.slug, e.wikidata_id, e.bio, e.version,
       ARRAY(SELECT al.name FROM claims_alias al WHERE al.expert_id = e.id ORDER BY al.name, al.id) AS aliases,
       ARRAY(SELECT ROW(af.id, af.role, af.is_former, af.start_date, af.end_date, o.id, o.name, o.acronym)::text
             FROM claims_affiliation af LEFT JOIN claims_organization o ON o.id = af.organization_id
             WHERE af.expert_id = e.id ORDER BY af.id DESC) AS affiliations,
       (SELECT count(*) FROM claims_claim c WHERE c.expert_id = e.id AND c.status = 'approved') AS claim_count
FROM page JOIN claims_expert e ON e.id = page.id
ORDER BY page.sort_name, page.id
"""

# /api/experts/{id}/track-record: the expert's stored counts (claims_trackrecordcount: how many of their
# forecasts share a topic, an outcome and a probability), public rows only, by the (expert, status) index.
# The scores are arithmetic over these few rows, as the API's are.
TRACK_RECORD = """
SELECT t.slug, t.name, r.outcome, r.probability, r.count
FROM claims_trackrecordcount r LEFT JOIN claims_topic t ON t.id = r.topic_id
WHERE r.expert_id = %(expert)s AND r.status = 'approved'
"""

# The public pages. Each statement fetches what its page shows (the page runs several queries; a person
# writing it by hand would fetch the same in one round trip): rows as JSON built by PostgreSQL.

# A claim as a list item shows: its text in its paragraph (the body read %(window)s characters either side
# of the quote, never the whole body), kind, quote type, status, expert, affiliation and organization,
# article title, date, outlet and URL.
_CLAIM_ITEM = """
SELECT c.id, c.text, c.kind, c.quote_type, c.status, c.start, c."end",
       GREATEST(c.start - 280, 0) AS window_start,
       substring(a.body FROM GREATEST(c.start - 280, 0) + 1 FOR c."end" - GREATEST(c.start - 280, 0) + 280) AS window,
       e.name AS expert, e.slug AS expert_slug, af.role, af.is_former, o.name AS organization, o.acronym,
       a.id AS article, a.title, a.url, a.published_on, a.date_precision, ou.name AS outlet
FROM page
JOIN claims_claim c ON c.id = page.id
JOIN claims_article a ON a.id = c.article_id
LEFT JOIN claims_outlet ou ON ou.id = a.outlet_id
LEFT JOIN claims_expert e ON e.id = c.expert_id
LEFT JOIN claims_affiliation af ON af.id = c.affiliation_id
LEFT JOIN claims_organization o ON o.id = af.organization_id
ORDER BY {order}
"""

# Home (/): the 8 newest approved claims and the 10 pending forecasts longest overdue. The page's other
# parts (the database's counts, the most quoted experts) are cached for five minutes and cost no query.
HOME = """
SELECT
  (SELECT json_agg(item) FROM (
     WITH page AS (
       SELECT c.id, c.sort_date FROM claims_claim c WHERE c.status = 'approved'
       ORDER BY c.sort_date DESC, c.id DESC LIMIT 8
     )
     SELECT c.id, c.text, c.status, e.name AS expert, e.slug AS expert_slug, af.role, o.name AS organization,
            a.id AS article, a.title, a.published_on, a.date_precision, ou.name AS outlet
     FROM page JOIN claims_claim c ON c.id = page.id
     JOIN claims_article a ON a.id = c.article_id
     LEFT JOIN claims_outlet ou ON ou.id = a.outlet_id
     LEFT JOIN claims_expert e ON e.id = c.expert_id
     LEFT JOIN claims_affiliation af ON af.id = c.affiliation_id
     LEFT JOIN claims_organization o ON o.id = af.organization_id
     ORDER BY page.sort_date DESC, page.id DESC) AS item) AS newest,
  (SELECT json_agg(due) FROM (
     SELECT p.id, p.proposition, p.horizon_end, e.name AS expert
     FROM claims_prediction p JOIN claims_claim c ON c.id = p.claim_id
     LEFT JOIN claims_expert e ON e.id = c.expert_id
     WHERE p.outcome = 'pending' AND p.horizon_end < CURRENT_DATE AND c.status = 'approved'
     ORDER BY p.horizon_end, p.id LIMIT 10) AS due) AS due
"""

# Claims search (/claims/?q=...): the 20 newest matching claims (and one to tell whether a next page exists;
# the page lists newest first, by (sort_date, id), whatever q), how many match (counted up to 5,001, as the page
# does, from the approved claims' vectors in claims_public_claim_search) and, when at most 5,000 do, the facets
# by expert, outlet, kind and year (the ten largest of each).
SEARCH_PAGE = (
    """
WITH q AS (SELECT websearch_to_tsquery('english'::regconfig, %(q)s) AS query),
matches AS (
  SELECT s.id FROM claims_public_claim_search s, q WHERE s.text_search @@ q.query LIMIT 5001
),
total AS (SELECT count(*) AS n FROM matches),
page AS (
  SELECT c.id, c.sort_date FROM claims_claim c, q
  WHERE c.text_search @@ q.query AND c.status = 'approved'
  ORDER BY c.sort_date DESC, c.id DESC LIMIT 21
)
SELECT (SELECT n FROM total) AS total,
  (SELECT json_agg(item) FROM ("""
    + _CLAIM_ITEM.format(order="page.sort_date DESC, page.id DESC")
    + """) AS item) AS claims,
  CASE WHEN (SELECT n FROM total) <= 5000 THEN json_build_object(
    'expert', (SELECT json_agg(f) FROM (SELECT c.expert_id, e.name, count(*) AS n FROM matches m
               JOIN claims_claim c ON c.id = m.id LEFT JOIN claims_expert e ON e.id = c.expert_id
               GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10) f),
    'outlet', (SELECT json_agg(f) FROM (SELECT ou.name, ou.slug, count(*) AS n FROM matches m
               JOIN claims_claim c ON c.id = m.id JOIN claims_article a ON a.id = c.article_id
               LEFT JOIN claims_outlet ou ON ou.id = a.outlet_id
               GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10) f),
    'kind', (SELECT json_agg(f) FROM (SELECT c.kind, count(*) AS n FROM matches m
             JOIN claims_claim c ON c.id = m.id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10) f),
    'year', (SELECT json_agg(f) FROM (SELECT extract(YEAR FROM c.sort_date) AS year, count(*) AS n FROM matches m
             JOIN claims_claim c ON c.id = m.id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10) f)
  ) END AS facets
"""
)

# One expert (/experts/<slug>/): the expert with their number of approved claims, aliases and affiliations;
# their 25 newest claims (and one more); their 50 newest forecasts (with the date of their article, shown as the
# day each was made); their track record's stored counts;
# their approved claims per year; the ten experts most often quoted in the same articles (among the
# articles of their 1,000 newest claims).
EXPERT_PAGE = (
    """
WITH ex AS (SELECT id, name, slug, bio, wikidata_id FROM claims_expert WHERE slug = %(slug)s),
page AS (
  SELECT c.id, c.sort_date FROM claims_claim c, ex
  WHERE c.expert_id = ex.id AND c.status = 'approved' ORDER BY c.sort_date DESC, c.id DESC LIMIT 26
)
SELECT ex.id, ex.name, ex.slug, ex.bio, ex.wikidata_id,
  (SELECT count(*) FROM claims_claim c WHERE c.expert_id = ex.id AND c.status = 'approved') AS claim_count,
  ARRAY(SELECT al.name FROM claims_alias al WHERE al.expert_id = ex.id ORDER BY al.name, al.id) AS aliases,
  (SELECT json_agg(af) FROM (
     SELECT af.role, af.is_former, af.start_date, af.end_date, o.name, o.acronym, o.slug
     FROM claims_affiliation af LEFT JOIN claims_organization o ON o.id = af.organization_id
     WHERE af.expert_id = ex.id
     ORDER BY af.is_former, af.end_date DESC, af.start_date DESC, af.id DESC) af) AS affiliations,
  (SELECT json_agg(item) FROM ("""
    + _CLAIM_ITEM.format(order="page.sort_date DESC, page.id DESC")
    + """) AS item) AS claims,
  (SELECT json_agg(f) FROM (
     SELECT p.id, p.proposition, p.probability, p.outcome, p.horizon_end, c.status, a.published_on, a.date_precision
     FROM claims_claim c JOIN claims_prediction p ON p.claim_id = c.id JOIN claims_article a ON a.id = c.article_id
     WHERE c.expert_id = ex.id AND c.status = 'approved'
     ORDER BY c.sort_date DESC, p.id DESC LIMIT 50) f) AS forecasts,
  (SELECT json_agg(r) FROM (
     SELECT t.slug, t.name, r.outcome, r.probability, r.count
     FROM claims_trackrecordcount r LEFT JOIN claims_topic t ON t.id = r.topic_id
     WHERE r.expert_id = ex.id AND r.status = 'approved') r) AS track_record,
  (SELECT json_agg(y) FROM (
     SELECT extract(YEAR FROM c.sort_date) AS year, count(*) AS n FROM claims_claim c
     WHERE c.expert_id = ex.id AND c.status = 'approved' GROUP BY 1) y) AS years,
  (SELECT json_agg(co) FROM (
     SELECT e.name, e.slug, count(DISTINCT c.article_id) AS articles
     FROM claims_claim c JOIN claims_expert e ON e.id = c.expert_id
     WHERE c.status = 'approved' AND c.expert_id <> ex.id AND c.article_id IN (
       SELECT c2.article_id FROM claims_claim c2 WHERE c2.expert_id = ex.id AND c2.status = 'approved'
       ORDER BY c2.sort_date DESC, c2.id DESC LIMIT 1000)
     GROUP BY e.id, e.name, e.slug, e.sort_name ORDER BY 3 DESC, e.sort_name, e.id LIMIT 10) co) AS co_quoted
FROM ex
"""
)
